//! CPU prove/verify timings of the capacity challenge:
//! `cargo bench -p lattice-compute-core --bench prove_verify`.

use lattice_compute_core::{
    params::{Query, VerifyParams},
    prove::{compute_c, Commitment},
    verify::{verify, verify_matrix},
    Challenge,
};
use std::time::Instant;

fn main() {
    for n in [256usize, 1024, 2048] {
        let ch = Challenge::new([1; 32], [2; 32], n, 1).expect("valid parameters");
        let t = Instant::now();
        let generated = ch.matrix_a().len() + ch.matrix_b(0).len();
        let generate = t.elapsed();
        println!("n={n}: expanding A and B ({generated} bytes) takes {generate:.2?}");
        let t = Instant::now();
        let c = compute_c(&ch);
        let matmul = t.elapsed();
        let t = Instant::now();
        let com = Commitment::from_matrix(n, c).expect("n×n matrix");
        let merkle = t.elapsed();
        let q = Query::derive([3; 32], n, &VerifyParams::DEFAULT).expect("valid query");
        let t = Instant::now();
        let resp = com.respond(&q).expect("response");
        let respond = t.elapsed();
        let t = Instant::now();
        verify(&ch, &com.root(), &q, &resp).expect("honest proof verifies");
        let verified = t.elapsed();
        let t = Instant::now();
        verify_matrix(&ch, &com.root(), &q, com.matrix()).expect("honest matrix verifies");
        let verified_full = t.elapsed();
        let gmacs = (n as f64).powi(3) / matmul.as_secs_f64() / 1e9;
        println!(
            "n={n} chain=1: prove = matmul {matmul:.2?} ({gmacs:.2} GMAC/s) + merkle {merkle:.2?} \
             + respond {respond:.2?}; verify {verified:.2?}; verify_matrix {verified_full:.2?}; \
             verify/prove = {:.3}%",
            100.0 * verified.as_secs_f64() / (matmul + merkle + respond).as_secs_f64()
        );
    }
}
