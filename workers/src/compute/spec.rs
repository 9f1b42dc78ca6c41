//! Off-chain job specifications.
//!
//! A job on chain carries `spec_hash` and `spec_uri`; the worker fetches the bytes at the URI,
//! checks `SHA-256(bytes) == spec_hash` (so neither the host of the spec nor the network can
//! swap it), and parses them as a JSON [`JobSpec`]:
//!
//! ```json
//! {"kind": "matmul", "n": 1024, "chain": 1, "seed": "<64 hex chars>"}
//! {"kind": "container", "image": "ghcr.io/org/train:1", "command": ["python", "t.py"],
//!  "env": {"EPOCHS": "3"}, "gpus": 1}
//! {"kind": "process", "program": "render", "args": ["--frames", "1-10"]}
//! ```
//!
//! URIs: `data:` (the spec inline: base64 after `;base64,`, else the raw text after the comma),
//! `file://`, `http(s)://`.

use anyhow::{bail, ensure, Context, Result};
use base64::Engine as _;
use lattice_compute_core::Challenge;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Largest spec accepted, in bytes.
pub const MAX_SPEC_BYTES: usize = 64 * 1024;

/// What a job asks the node to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum JobSpec {
    /// A verifiable int8 matrix product: `C = Σ_k A·B_k` of the challenge derived from `seed`
    /// (as `Challenge::new(seed, [0; 32], n, chain)`); the result is `C` and its Merkle root.
    Matmul {
        /// Matrix size.
        n: usize,
        /// Products summed.
        chain: u32,
        /// 32-byte seed, hex.
        seed: String,
    },
    /// An OCI container run through the Docker/Podman Engine API.
    Container {
        /// Image reference.
        image: String,
        /// Command (empty = the image's default).
        #[serde(default)]
        command: Vec<String>,
        /// Environment.
        #[serde(default)]
        env: BTreeMap<String, String>,
        /// GPUs requested (0 = none, -1 = all).
        #[serde(default)]
        gpus: i64,
    },
    /// A command from the operator's allow-list.
    Process {
        /// Allow-listed program name.
        program: String,
        /// Arguments.
        #[serde(default)]
        args: Vec<String>,
    },
}

impl JobSpec {
    /// The on-chain kind of this spec: `matmul` is verifiable, everything else is `container`.
    pub fn is_matmul(&self) -> bool {
        matches!(self, Self::Matmul { .. })
    }

    /// The challenge of a `matmul` spec.
    ///
    /// # Errors
    /// Not a matmul spec, a malformed seed, or parameters outside the exact-arithmetic bound.
    pub fn matmul_challenge(&self) -> Result<Challenge> {
        let Self::Matmul { n, chain, seed } = self else {
            bail!("not a matmul job");
        };
        let seed = super::hex32(seed).context("matmul seed must be 64 hex characters")?;
        Ok(Challenge::new(seed, [0; 32], *n, *chain)?)
    }

    /// Canonical bytes (compact JSON) and their SHA-256, as a poster publishes them.
    pub fn encode(&self) -> (Vec<u8>, [u8; 32]) {
        let bytes = serde_json::to_vec(self).expect("spec serializes");
        let hash = Sha256::digest(&bytes).into();
        (bytes, hash)
    }

    /// A `data:,<compact JSON>` URI holding the spec inline (a matmul spec is ~106 bytes, inside
    /// the 128-byte on-chain URI; longer specs belong on a `file://`/`https://` host). The JSON
    /// is not percent-encoded: workers read everything after the first comma verbatim.
    pub fn data_uri(&self) -> String {
        let (bytes, _) = self.encode();
        format!("data:,{}", String::from_utf8(bytes).expect("JSON is UTF-8"))
    }
}

/// Parses spec bytes after checking their hash.
///
/// # Errors
/// A hash mismatch, oversized or malformed JSON.
pub fn parse_spec(bytes: &[u8], expected_hash: &[u8; 32]) -> Result<JobSpec> {
    ensure!(
        bytes.len() <= MAX_SPEC_BYTES,
        "spec is {} bytes",
        bytes.len()
    );
    let got: [u8; 32] = Sha256::digest(bytes).into();
    ensure!(
        &got == expected_hash,
        "spec hash mismatch: got {}, job says {}",
        hex::encode(got),
        hex::encode(expected_hash)
    );
    serde_json::from_slice(bytes).context("malformed job spec")
}

/// Fetches the bytes behind a spec URI.
///
/// # Errors
/// Unsupported scheme, I/O or HTTP failure, or more than [`MAX_SPEC_BYTES`].
pub async fn fetch_spec(uri: &str) -> Result<Vec<u8>> {
    fetch_uri(uri, MAX_SPEC_BYTES).await
}

/// Fetches the bytes behind a `data:`, `file://` or `http(s)://` URI (specs, job results).
///
/// # Errors
/// Unsupported scheme, I/O or HTTP failure, or more than `max_bytes`.
pub async fn fetch_uri(uri: &str, max_bytes: usize) -> Result<Vec<u8>> {
    let bytes = if let Some(rest) = uri.strip_prefix("data:") {
        let (meta, data) = rest.split_once(',').context("data: URI without a comma")?;
        if meta.ends_with(";base64") {
            base64::engine::general_purpose::STANDARD
                .decode(data)
                .context("data: URI base64")?
        } else {
            data.as_bytes().to_vec()
        }
    } else if let Some(path) = uri.strip_prefix("file://") {
        tokio::fs::read(path)
            .await
            .with_context(|| format!("reading {path}"))?
    } else if uri.starts_with("http://") || uri.starts_with("https://") {
        let resp = reqwest::get(uri).await?.error_for_status()?;
        resp.bytes().await?.to_vec()
    } else {
        bail!("unsupported URI scheme: {uri}");
    };
    ensure!(
        bytes.len() <= max_bytes,
        "{uri} holds {} bytes (at most {max_bytes})",
        bytes.len()
    );
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn data_uri_round_trip_and_hash_check() {
        let spec = JobSpec::Matmul {
            n: 64,
            chain: 1,
            seed: hex::encode([7u8; 32]),
        };
        let (bytes, hash) = spec.encode();
        let uri = spec.data_uri();
        assert!(uri.len() <= 128, "{} bytes", uri.len());
        let b64 = format!(
            "data:application/json;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(&bytes)
        );
        assert_eq!(fetch_spec(&b64).await.unwrap(), bytes);
        let fetched = fetch_spec(&uri).await.unwrap();
        assert_eq!(fetched, bytes);
        assert_eq!(parse_spec(&fetched, &hash).unwrap(), spec);
        assert!(parse_spec(&fetched, &[0; 32])
            .unwrap_err()
            .to_string()
            .contains("hash mismatch"));
        assert_eq!(spec.matmul_challenge().unwrap().n(), 64);
    }

    #[tokio::test]
    async fn malformed_specs_are_refused() {
        for bad in [
            &br#"{"kind":"matmul","n":4}"#[..],
            br#"{"kind":"rm -rf"}"#,
            br#"{"kind":"process","program":"x","extra":1}"#,
            b"not json",
        ] {
            let hash = Sha256::digest(bad).into();
            assert!(
                parse_spec(bad, &hash).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        let bad_seed = JobSpec::Matmul {
            n: 4,
            chain: 1,
            seed: "zz".into(),
        };
        assert!(bad_seed.matmul_challenge().is_err());
        let too_big = JobSpec::Matmul {
            n: 200_000,
            chain: 1,
            seed: hex::encode([0u8; 32]),
        };
        assert!(too_big.matmul_challenge().is_err());
        assert!(fetch_spec("gopher://x").await.is_err());
        assert!(fetch_spec("data:;base64,@@").await.is_err());
    }
}
