//! CUDA backend (`--features cuda`): an int8 GEMM kernel compiled at start-up with NVRTC and
//! run through `cudarc`.
//!
//! The kernel packs four int8 values of a row of `A` and four of a column of `B` into one 32-bit
//! word each and multiplies them with `__dp4a` (signed int8 × int8 dot products accumulated in
//! int32, sm_61+). Tiles of 16×16 words go through shared memory. `B` is transposed on the host
//! so the `K` dimension is contiguous for both operands, and `K` is zero-padded to a multiple of
//! four. The result is exact: products and partial sums stay inside int32 under the challenge
//! bound, so it equals the CPU reference bit for bit, which [`CudaBackend::open`] checks on a
//! small challenge before the node uses the device.
//!
//! Not tensor cores: a cuBLASLt IMMA path would be faster on Ampere/Hopper; this kernel is the
//! simple, auditable one. Device throughput is reported by `cargo bench --features cuda --bench
//! gemm` on a machine with a GPU.

use super::backend::Backend;
use anyhow::{ensure, Context, Result};
use cudarc::driver::{CudaContext, CudaFunction, CudaStream, LaunchConfig, PushKernelArg};
use std::sync::{Arc, Mutex};

const TILE: u32 = 16;

const KERNEL: &str = r#"
#define TILE 16
extern "C" __global__ void gemm_i8_dp4a(const int* __restrict__ a, const int* __restrict__ bt,
                                        int* __restrict__ c, int n, int kw) {
    __shared__ int as[TILE][TILE + 1];
    __shared__ int bs[TILE][TILE + 1];
    const int tx = threadIdx.x, ty = threadIdx.y;
    const int row = blockIdx.y * TILE + ty;
    const int col = blockIdx.x * TILE + tx;
    const int bcol = blockIdx.x * TILE + ty;
    int acc = 0;
    for (int t = 0; t < kw; t += TILE) {
        as[ty][tx] = (row < n && t + tx < kw) ? a[(long long)row * kw + t + tx] : 0;
        bs[ty][tx] = (bcol < n && t + tx < kw) ? bt[(long long)bcol * kw + t + tx] : 0;
        __syncthreads();
        #pragma unroll
        for (int k = 0; k < TILE; ++k) {
            acc = __dp4a(as[ty][k], bs[tx][k], acc);
        }
        __syncthreads();
    }
    if (row < n && col < n) {
        c[(long long)row * n + col] += acc;
    }
}
"#;

/// One CUDA device running the dp4a int8 GEMM.
pub struct CudaBackend {
    name: String,
    stream: Arc<CudaStream>,
    gemm: CudaFunction,
    /// Launches are serialized per device.
    lock: Mutex<()>,
}

impl CudaBackend {
    /// Opens device `ordinal`, compiles the kernel, and checks it against the CPU reference.
    ///
    /// # Errors
    /// No driver/device, a compilation failure, or a result that differs from the reference.
    pub fn open(ordinal: usize) -> Result<Self> {
        let ctx = CudaContext::new(ordinal).context("CUDA device")?;
        let name = ctx.name().unwrap_or_else(|_| format!("device {ordinal}"));
        let ptx = cudarc::nvrtc::compile_ptx(KERNEL).context("NVRTC compile of the GEMM kernel")?;
        let module = ctx.load_module(ptx)?;
        let gemm = module.load_function("gemm_i8_dp4a")?;
        let backend = Self {
            name: format!("cuda ({name})"),
            stream: ctx.default_stream(),
            gemm,
            lock: Mutex::new(()),
        };
        super::backend::verify_backend(&backend)?;
        Ok(backend)
    }
}

/// Packs the `n×n` row-major int8 matrix `m` into rows of `kw` little-endian words (4 int8 per
/// word, zero padded), i.e. the layout `__dp4a` reads.
pub fn pack_rows(m: &[i8], n: usize, kw: usize) -> Vec<i32> {
    let mut out = vec![0i32; n * kw];
    for (dst, src) in out.chunks_exact_mut(kw).zip(m.chunks_exact(n)) {
        for (w, quad) in dst.iter_mut().zip(src.chunks(4)) {
            let mut bytes = [0u8; 4];
            for (b, &x) in bytes.iter_mut().zip(quad) {
                *b = x as u8;
            }
            *w = i32::from_le_bytes(bytes);
        }
    }
    out
}

/// The transpose of a row-major `n×n` matrix.
pub fn transpose(m: &[i8], n: usize) -> Vec<i8> {
    let mut t = vec![0i8; n * n];
    for (i, row) in m.chunks_exact(n).enumerate() {
        for (j, &x) in row.iter().enumerate() {
            t[j * n + i] = x;
        }
    }
    t
}

impl Backend for CudaBackend {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn gemm(&self, a: &[i8], b: &[i8], c: &mut [i32], n: usize) -> Result<()> {
        let nn = n.checked_mul(n);
        ensure!(
            nn == Some(a.len()) && nn == Some(b.len()) && nn == Some(c.len()),
            "gemm shapes"
        );
        let kw = n.div_ceil(4);
        let a_words = pack_rows(a, n, kw);
        let bt_words = pack_rows(&transpose(b, n), n, kw);
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let s = &self.stream;
        let a_dev = s.clone_htod(&a_words)?;
        let bt_dev = s.clone_htod(&bt_words)?;
        let mut c_dev = s.clone_htod(&c[..])?;
        let n_i = i32::try_from(n).context("n fits i32")?;
        let kw_i = i32::try_from(kw).context("kw fits i32")?;
        let blocks = u32::try_from(n.div_ceil(TILE as usize)).context("grid size")?;
        let cfg = LaunchConfig {
            grid_dim: (blocks, blocks, 1),
            block_dim: (TILE, TILE, 1),
            shared_mem_bytes: 0,
        };
        let mut launch = s.launch_builder(&self.gemm);
        launch
            .arg(&a_dev)
            .arg(&bt_dev)
            .arg(&mut c_dev)
            .arg(&n_i)
            .arg(&kw_i);
        // SAFETY: the kernel reads `n·kw` words of `a_dev` and `bt_dev` and writes `n·n` words
        // of `c_dev`, exactly the lengths allocated above; every access is bounds-guarded.
        unsafe { launch.launch(cfg) }?;
        let out = s.clone_dtoh(&c_dev)?;
        c.copy_from_slice(&out);
        Ok(())
    }
}

/// Number of CUDA devices the driver reports (0 without a driver).
pub fn device_count() -> usize {
    CudaContext::device_count().map_or(0, |n| usize::try_from(n).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_is_little_endian_and_zero_padded() {
        let m: Vec<i8> = vec![
            1, -1, 2, -2, 3, 4, 5, 6, 7, 8, -128, 127, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
        ];
        let words = pack_rows(&m, 5, 2);
        assert_eq!(words[0], i32::from_le_bytes([1, 0xff, 2, 0xfe]));
        assert_eq!(words[1], i32::from_le_bytes([3, 0, 0, 0]));
        assert_eq!(transpose(&transpose(&m, 5), 5), m);
    }

    #[test]
    fn device_matches_the_cpu_reference_when_present() {
        if device_count() == 0 {
            eprintln!("no CUDA device: skipped");
            return;
        }
        let gpu = CudaBackend::open(0).unwrap();
        for (n, chain) in [(1, 1), (5, 2), (64, 1), (257, 3), (1024, 1)] {
            let ch = lattice_compute_core::Challenge::new([3; 32], [4; 32], n, chain).unwrap();
            assert_eq!(
                super::super::compute_c(&gpu, &ch).unwrap(),
                lattice_compute_core::prove::compute_c(&ch)
            );
        }
    }
}
