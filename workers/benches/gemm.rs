//! CPU int8 GEMM throughput and the capacity challenge's verifier/prover time ratio:
//! `cargo bench -p lattice-workers --bench gemm`.

use lattice_compute_core::{
    params::{Query, VerifyParams},
    prove::Commitment,
    verify::verify,
    Challenge,
};
use lattice_workers::compute::{compute_c, Backend, CpuBackend};
use std::time::{Duration, Instant};

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        out = Some(v);
    }
    (best, out.expect("runs > 0"))
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for threads in [1, cores] {
        let cpu = CpuBackend::new(threads).expect("thread pool");
        for n in [1024usize, 2048] {
            let ch = Challenge::new([1; 32], [2; 32], n, 1).expect("valid parameters");
            let (a, b) = (ch.matrix_a(), ch.matrix_b(0));
            let (gemm, _) = best_of(3, || {
                let mut c = vec![0i32; n * n];
                cpu.gemm(&a, &b, &mut c, n).expect("gemm");
                c
            });
            let gmacs = (n as f64).powi(3) / gemm.as_secs_f64() / 1e9;
            // Whole prover: expansion + GEMM + Merkle commitment + response.
            let q = Query::derive([3; 32], n, &VerifyParams::DEFAULT).expect("query");
            let (prove, (com, resp)) = best_of(3, || {
                let c = compute_c(&cpu, &ch).expect("prove");
                let com = Commitment::from_matrix(n, c).expect("n×n");
                let resp = com.respond(&q).expect("respond");
                (com, resp)
            });
            let (check, _) = best_of(3, || verify(&ch, &com.root(), &q, &resp).expect("honest"));
            println!(
                "{} n={n}: GEMM {gemm:.2?} = {gmacs:.2} GMAC/s; prover total {prove:.2?}; \
                 verifier {check:.2?}; verifier/prover = {:.2}%",
                cpu.name(),
                100.0 * check.as_secs_f64() / prove.as_secs_f64()
            );
        }
    }
}
