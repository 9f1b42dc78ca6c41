//! Int8 GEMM backends for the capacity challenge and `matmul` jobs.
//!
//! Every backend computes `C += A·B` for row-major `n×n` int8 `A`, `B` and int32 `C`, exactly:
//! the challenge parameters keep every partial sum inside `i32` (see `lattice_compute_core`), so
//! any summation order gives the same bits, and [`Backend::gemm`] results must equal
//! [`lattice_compute_core::prove::compute_c`] bit for bit. The CPU backend here is tested
//! against that reference; the CUDA backend (`--features cuda`) runs the same check on the
//! device it opens ([`verify_backend`]).

use anyhow::{ensure, Result};
use lattice_compute_core::Challenge;
use rayon::prelude::*;

/// An int8 GEMM engine.
pub trait Backend: Send + Sync {
    /// Human-readable name, e.g. `cpu (8 threads, avx512bw)` or `cuda (NVIDIA H100)`.
    fn name(&self) -> String;

    /// `c += a·b` for row-major `n×n` matrices (`a`, `b`: `n·n` int8; `c`: `n·n` int32).
    ///
    /// # Errors
    /// Wrong lengths, or a device failure.
    fn gemm(&self, a: &[i8], b: &[i8], c: &mut [i32], n: usize) -> Result<()>;
}

/// `C = Σ_k A·B_k` of a capacity challenge (or a `matmul` job) on `backend`.
///
/// # Errors
/// Backend failures.
pub fn compute_c(backend: &dyn Backend, challenge: &Challenge) -> Result<Vec<i32>> {
    let n = challenge.n();
    let a = challenge.matrix_a();
    let mut c = vec![0i32; a.len()];
    for k in 0..challenge.chain() {
        backend.gemm(&a, &challenge.matrix_b(k), &mut c, n)?;
    }
    Ok(c)
}

/// Checks `backend` against the CPU reference on a small challenge (n = 96, chain = 2) before
/// a node trusts it with proofs.
///
/// # Errors
/// A result that differs from the reference, or a backend failure.
pub fn verify_backend(backend: &dyn Backend) -> Result<()> {
    let ch = Challenge::new([0x5a; 32], [0xa5; 32], 96, 2)?;
    let got = compute_c(backend, &ch)?;
    ensure!(
        got == lattice_compute_core::prove::compute_c(&ch),
        "backend {} differs from the CPU reference",
        backend.name()
    );
    Ok(())
}

fn check_shapes(a: &[i8], b: &[i8], c: &[i32], n: usize) -> Result<()> {
    let nn = n.checked_mul(n);
    ensure!(
        nn == Some(a.len()) && nn == Some(b.len()) && nn == Some(c.len()),
        "gemm shapes: n={n}, |a|={}, |b|={}, |c|={}",
        a.len(),
        b.len(),
        c.len()
    );
    Ok(())
}

/// Rows of `C` per task.
const ROWS: usize = 4;
/// Columns of `C` per tile: `ROWS·COLS` int32 accumulators (4 KiB) stay in L1, and the packed
/// `B` tile (`n·COLS` bytes) in L2 while every row block streams past it.
const COLS: usize = 256;

/// The CPU backend: cache-tiled, register-blocked, multi-threaded (rayon) and compiled for
/// AVX-512/AVX2/NEON with runtime dispatch (`multiversion`).
#[derive(Clone, Debug)]
pub struct CpuBackend {
    pool: std::sync::Arc<rayon::ThreadPool>,
    threads: usize,
}

impl CpuBackend {
    /// A backend using `threads` worker threads (0 = one per core).
    ///
    /// # Errors
    /// The thread pool could not be started.
    pub fn new(threads: usize) -> Result<Self> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("lattice-gemm-{i}"))
            .build()?;
        let threads = pool.current_num_threads();
        Ok(Self {
            pool: std::sync::Arc::new(pool),
            threads,
        })
    }
}

impl Backend for CpuBackend {
    fn name(&self) -> String {
        format!("cpu ({} threads)", self.threads)
    }

    fn gemm(&self, a: &[i8], b: &[i8], c: &mut [i32], n: usize) -> Result<()> {
        check_shapes(a, b, c, n)?;
        self.pool.install(|| {
            for j0 in (0..n).step_by(COLS) {
                let width = COLS.min(n - j0);
                // Pack B[:, j0..j0+width] contiguously, rows zero-padded to COLS.
                let mut tile = vec![0i8; n * COLS];
                for (dst, src) in tile.chunks_exact_mut(COLS).zip(b.chunks_exact(n)) {
                    dst[..width].copy_from_slice(&src[j0..j0 + width]);
                }
                c.par_chunks_mut(ROWS * n)
                    .zip(a.par_chunks(ROWS * n))
                    .for_each(|(c_rows, a_rows)| {
                        let rows = a_rows.len() / n;
                        let mut acc = [[0i32; COLS]; ROWS];
                        if rows == ROWS {
                            let a4: [&[i8]; ROWS] =
                                std::array::from_fn(|r| &a_rows[r * n..(r + 1) * n]);
                            kernel(&a4, &tile, &mut acc, n);
                        } else {
                            for r in 0..rows {
                                row_kernel(&a_rows[r * n..(r + 1) * n], &tile, &mut acc[r], n);
                            }
                        }
                        for (r, acc_row) in acc.iter().enumerate().take(rows) {
                            let dst = &mut c_rows[r * n + j0..r * n + j0 + width];
                            for (d, s) in dst.iter_mut().zip(acc_row) {
                                *d = d.wrapping_add(*s);
                            }
                        }
                    });
            }
        });
        Ok(())
    }
}

/// `acc[r][j] += Σ_l a[r][l]·tile[l][j]` for a block of `ROWS` rows. Wrapping adds match the
/// reference bit for bit (no partial sum overflows under the challenge bound anyway).
#[multiversion::multiversion(targets(
    "x86_64+avx512f+avx512bw+avx512vl",
    "x86_64+avx2",
    "aarch64+neon"
))]
fn kernel(a: &[&[i8]; ROWS], tile: &[i8], acc: &mut [[i32; COLS]; ROWS], n: usize) {
    for (l, b_row) in tile.chunks_exact(COLS).take(n).enumerate() {
        let b: &[i8; COLS] = b_row.try_into().expect("COLS-wide tile rows");
        for r in 0..ROWS {
            let x = i32::from(a[r][l]);
            let row = &mut acc[r];
            for j in 0..COLS {
                row[j] = row[j].wrapping_add(x * i32::from(b[j]));
            }
        }
    }
}

/// One row of [`kernel`] (the last `n mod ROWS` rows).
#[multiversion::multiversion(targets(
    "x86_64+avx512f+avx512bw+avx512vl",
    "x86_64+avx2",
    "aarch64+neon"
))]
fn row_kernel(a: &[i8], tile: &[i8], acc: &mut [i32; COLS], n: usize) {
    for (l, b_row) in tile.chunks_exact(COLS).take(n).enumerate() {
        let b: &[i8; COLS] = b_row.try_into().expect("COLS-wide tile rows");
        let x = i32::from(a[l]);
        for j in 0..COLS {
            acc[j] = acc[j].wrapping_add(x * i32::from(b[j]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cpu_backend_matches_the_reference_bit_for_bit() {
        let cpu = CpuBackend::new(2).unwrap();
        verify_backend(&cpu).unwrap();
        // Sizes around the tile and row-block edges, chains > 1.
        for (n, chain) in [
            (1, 1),
            (3, 2),
            (4, 1),
            (255, 1),
            (256, 1),
            (257, 3),
            (300, 1),
        ] {
            let ch = Challenge::new([n as u8; 32], [chain as u8; 32], n, chain).unwrap();
            assert_eq!(
                compute_c(&cpu, &ch).unwrap(),
                lattice_compute_core::prove::compute_c(&ch),
                "n={n} chain={chain}"
            );
        }
    }

    #[test]
    fn extreme_entries_are_exact() {
        // All −128: every entry of A·B is n·16384, the largest magnitude the bound allows.
        let n = 512;
        let a = vec![i8::MIN; n * n];
        let mut c = vec![0i32; n * n];
        CpuBackend::new(1).unwrap().gemm(&a, &a, &mut c, n).unwrap();
        assert!(c.iter().all(|&x| x == 512 * 16384));
    }

    #[test]
    fn wrong_shapes_are_refused() {
        let cpu = CpuBackend::new(1).unwrap();
        let mut c = vec![0i32; 4];
        assert!(cpu.gemm(&[0; 4], &[0; 3], &mut c, 2).is_err());
        assert!(cpu.gemm(&[0; 4], &[0; 4], &mut c, 3).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn random_sizes_and_seeds_match(n in 1usize..140, chain in 1u32..4, seed in any::<[u8; 32]>()) {
            let ch = Challenge::new(seed, [7; 32], n, chain).unwrap();
            let cpu = CpuBackend::new(2).unwrap();
            prop_assert_eq!(compute_c(&cpu, &ch).unwrap(), lattice_compute_core::prove::compute_c(&ch));
        }
    }
}
