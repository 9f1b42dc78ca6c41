//! The hourly capacity challenge between a GPU node and the oracle.
//!
//! ```text
//! node                                   oracle
//!  Start{node, hour}              ──►    issue: n, chain, deadline; verifier seed s (secret),
//!                                 ◄──    Issued{entropy, n, chain, deadline_ms, SHA-256(s)}
//!  C = Σ A·B_k on the backend
//!  Commit{node, hour, root}       ──►    elapsed = now − issued (oracle clock); reveal s
//!                                 ◄──    Revealed{s}
//!  Respond{node, hour, C·r, rows} ──►    check SHA-256(s) commitment was honoured, verify
//!                                 ◄──    Scored{verified, score}
//! ```
//!
//! Every node message is `borsh(CapacityMsg) || ed25519 signature` by the node's device key over
//! `DOMAIN || borsh(msg)`. The challenge is bound to the node key and the hour's entropy, so a
//! proof for another node or hour fails verification. The oracle measures elapsed time on its
//! own clock from issue to commit, so a node cannot claim speed it does not have; the seed is
//! revealed only after the root is fixed (see `lattice_compute_core`).

use anyhow::{bail, ensure, Context, Result};
use borsh::{BorshDeserialize, BorshSerialize};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use lattice_compute_core::{
    params::{Query, VerifyParams},
    prove::{Commitment, Response},
    verify::verify,
    Challenge, MerkleProof,
};
use sha2::{Digest, Sha256};

/// Signature domain of capacity messages.
pub const DOMAIN: &[u8] = b"lattice-compute-capacity-v1\0";
/// Largest signed message accepted (a response at n = 4096 with 16 rows is ~300 KiB).
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;

/// An opened row of `C` with its Merkle path.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct OpenedRow {
    /// Row index.
    pub index: u32,
    /// The row.
    pub row: Vec<i32>,
    /// Sibling hashes, leaf level first.
    pub siblings: Vec<[u8; 32]>,
}

/// What a response answers: the challenge the node was given, its committed root, and the
/// revealed seed with the verifier parameters.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct ChallengeContext {
    /// The hour's entropy.
    pub entropy: [u8; 32],
    /// Matrix size.
    pub n: u64,
    /// Products summed.
    pub chain: u32,
    /// Committed Merkle root.
    pub root: [u8; 32],
    /// Revealed verifier seed.
    pub seed: [u8; 32],
    /// Freivalds rounds.
    pub rounds: u32,
    /// Bits per Freivalds vector entry.
    pub r_bits: u32,
    /// Opened rows.
    pub opened_rows: u32,
}

/// A node's message to the oracle.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum CapacityMsg {
    /// Ask for this hour's challenge.
    Start {
        /// Device key.
        node: [u8; 32],
        /// Hour.
        hour: u64,
    },
    /// Commit to `C`.
    Commit {
        /// Device key.
        node: [u8; 32],
        /// Hour.
        hour: u64,
        /// Merkle root over the rows of `C`.
        root: [u8; 32],
    },
    /// Answer the revealed query. Self-contained: with the context the node signs, anyone can
    /// re-verify it ([`verify_respond`]), so a wrong answer is a provable fault and a correct one
    /// cannot be framed (a correct `C` passes under any seed and entropy).
    Respond {
        /// Device key.
        node: [u8; 32],
        /// Hour.
        hour: u64,
        /// The challenge as the node received it, its root and the revealed seed.
        context: ChallengeContext,
        /// `C·r_t` for every round, concatenated.
        c_times_r: Vec<i128>,
        /// Opened rows, in query order.
        rows: Vec<OpenedRow>,
    },
    /// Liveness, at most one counted per five-minute slot.
    Heartbeat {
        /// Device key.
        node: [u8; 32],
        /// Node's clock, Unix seconds.
        unix_secs: i64,
    },
}

impl CapacityMsg {
    /// The sender.
    pub fn node(&self) -> [u8; 32] {
        match self {
            Self::Start { node, .. }
            | Self::Commit { node, .. }
            | Self::Respond { node, .. }
            | Self::Heartbeat { node, .. } => *node,
        }
    }

    /// Signs with the node's key: `borsh(self) || signature`.
    pub fn sign(&self, key: &SigningKey) -> Vec<u8> {
        let mut wire = borsh::to_vec(self).expect("in-memory borsh");
        let mut signed = DOMAIN.to_vec();
        signed.extend_from_slice(&wire);
        wire.extend_from_slice(&key.sign(&signed).to_bytes());
        wire
    }

    /// Parses `wire` and checks its signature against the key it names.
    ///
    /// # Errors
    /// Oversized, malformed, trailing bytes, a bad key or a bad signature.
    pub fn open(wire: &[u8]) -> Result<Self> {
        ensure!(
            wire.len() <= MAX_MESSAGE_BYTES,
            "message of {} bytes",
            wire.len()
        );
        ensure!(wire.len() > 64, "message too short");
        let (body, sig) = wire.split_at(wire.len() - 64);
        let msg = Self::try_from_slice(body).context("malformed capacity message")?;
        let key = VerifyingKey::from_bytes(&msg.node()).context("bad node key")?;
        let sig = Signature::from_bytes(sig.try_into().expect("64 bytes"));
        let mut signed = DOMAIN.to_vec();
        signed.extend_from_slice(body);
        key.verify_strict(&signed, &sig).context("bad signature")?;
        Ok(msg)
    }
}

/// What the oracle hands out for an hour.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Issued {
    /// Hour.
    pub hour: u64,
    /// The hour's entropy (hex).
    pub entropy: String,
    /// Matrix size.
    pub n: usize,
    /// Products summed.
    pub chain: u32,
    /// Time allowed from issue to commit.
    pub deadline_ms: u64,
    /// SHA-256 of the verifier seed (hex).
    pub seed_commitment: String,
    /// Freivalds rounds of the query.
    pub rounds: u32,
    /// Bits per entry of the Freivalds vectors.
    pub r_bits: u32,
    /// Rows of `C` opened.
    pub opened_rows: u32,
}

impl Issued {
    /// The verifier parameters this challenge is checked with.
    pub fn verify_params(&self) -> VerifyParams {
        VerifyParams {
            rounds: self.rounds,
            r_bits: self.r_bits,
            opened_rows: self.opened_rows,
        }
    }

    /// The challenge this describes for `node`.
    ///
    /// # Errors
    /// Malformed entropy or parameters.
    pub fn challenge(&self, node: &[u8; 32]) -> Result<Challenge> {
        Ok(Challenge::new(
            *node,
            self.entropy_bytes()?,
            self.n,
            self.chain,
        )?)
    }

    /// The hour's entropy as bytes.
    ///
    /// # Errors
    /// Not 32 bytes of hex.
    pub fn entropy_bytes(&self) -> Result<[u8; 32]> {
        super::hex32(&self.entropy).context("entropy must be 32 bytes of hex")
    }
}

/// The node's side: after the oracle reveals `seed`, check it against the commitment and build
/// the response.
///
/// # Errors
/// The oracle revealed a seed that does not match its commitment, or a size mismatch.
pub fn respond(
    issued: &Issued,
    commitment: &Commitment,
    seed: [u8; 32],
    node: [u8; 32],
    params: &VerifyParams,
) -> Result<CapacityMsg> {
    ensure!(
        hex::encode(Sha256::digest(seed)) == issued.seed_commitment,
        "the oracle revealed a seed that does not match its commitment"
    );
    let query = Query::derive(seed, commitment.n(), params)?;
    let r = commitment.respond(&query)?;
    let entropy = issued.entropy_bytes()?;
    Ok(CapacityMsg::Respond {
        node,
        hour: issued.hour,
        context: ChallengeContext {
            entropy,
            n: issued.n as u64,
            chain: issued.chain,
            root: commitment.root(),
            seed,
            rounds: params.rounds,
            r_bits: params.r_bits,
            opened_rows: params.opened_rows,
        },
        c_times_r: r.c_times_r,
        rows: r
            .opened_rows
            .into_iter()
            .map(|(index, row, proof)| OpenedRow {
                index,
                row,
                siblings: proof.siblings,
            })
            .collect(),
    })
}

/// Re-verifies a (signature-checked) `Respond` message from its own context: `Ok` if the
/// node's answer is right, the reason otherwise.
///
/// # Errors
/// Not a response, malformed parameters, or a wrong answer.
pub fn verify_respond(msg: &CapacityMsg) -> Result<()> {
    let CapacityMsg::Respond {
        node,
        context: c,
        c_times_r,
        rows,
        ..
    } = msg
    else {
        bail!("not a response");
    };
    let challenge = Challenge::new(*node, c.entropy, usize::try_from(c.n)?, c.chain)?;
    let params = VerifyParams {
        rounds: c.rounds,
        r_bits: c.r_bits,
        opened_rows: c.opened_rows,
    };
    check_response(
        &challenge,
        &c.root,
        c.seed,
        &params,
        c_times_r.clone(),
        rows.clone(),
    )
}

/// The oracle's side: verify a response to the challenge `challenge`, whose committed root is
/// `root` and whose verifier seed is `seed`.
///
/// # Errors
/// Why the response fails.
pub fn check_response(
    challenge: &Challenge,
    root: &[u8; 32],
    seed: [u8; 32],
    params: &VerifyParams,
    c_times_r: Vec<i128>,
    rows: Vec<OpenedRow>,
) -> Result<()> {
    let query = Query::derive(seed, challenge.n(), params)?;
    let response = Response {
        c_times_r,
        opened_rows: rows
            .into_iter()
            .map(|r| {
                (
                    r.index,
                    r.row,
                    MerkleProof {
                        siblings: r.siblings,
                    },
                )
            })
            .collect(),
    };
    if let Err(e) = verify(challenge, root, &query, &response) {
        bail!("capacity proof rejected: {e}");
    }
    Ok(())
}

/// The node's HTTP client for the capacity challenge and heartbeats.
#[derive(Clone)]
pub struct CapacityClient {
    http: reqwest::Client,
    base: String,
    key: SigningKey,
}

impl CapacityClient {
    /// A client of the oracle at `base`, signing with the node's device `key`.
    ///
    /// # Errors
    /// The HTTP client could not be built.
    pub fn new(base: &str, key: SigningKey) -> Result<Self> {
        Ok(Self {
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(120))
                .build()?,
            base: base.trim_end_matches('/').to_owned(),
            key,
        })
    }

    /// The node's device key.
    pub fn node(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }

    async fn post<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        msg: &CapacityMsg,
    ) -> Result<T> {
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/octet-stream")
            .body(msg.sign(&self.key))
            .send()
            .await?;
        let status = resp.status();
        if !status.is_success() {
            let text = resp.text().await.unwrap_or_default();
            bail!("{path}: {status}: {text}");
        }
        Ok(resp.json().await?)
    }

    /// Runs the whole challenge of `hour` on `backend`: start, prove, commit, respond.
    ///
    /// # Errors
    /// Oracle refusals, backend failures, or an oracle that breaks its seed commitment.
    pub async fn prove_hour(
        &self,
        backend: std::sync::Arc<dyn crate::compute::Backend>,
        hour: u64,
    ) -> Result<crate::oracle::compute::Scored> {
        let node = self.node();
        let issued: Issued = self
            .post("/v1/compute/start", &CapacityMsg::Start { node, hour })
            .await?;
        let challenge = issued.challenge(&node)?;
        let commitment = tokio::task::spawn_blocking(move || -> Result<Commitment> {
            let c = crate::compute::compute_c(backend.as_ref(), &challenge)?;
            Ok(Commitment::from_matrix(challenge.n(), c)?)
        })
        .await??;
        #[derive(serde::Deserialize)]
        struct Revealed {
            seed: String,
        }
        let revealed: Revealed = self
            .post(
                "/v1/compute/commit",
                &CapacityMsg::Commit {
                    node,
                    hour,
                    root: commitment.root(),
                },
            )
            .await?;
        let seed = super::hex32(&revealed.seed).context("revealed seed must be 32 bytes of hex")?;
        let response = respond(&issued, &commitment, seed, node, &issued.verify_params())?;
        self.post("/v1/compute/respond", &response).await
    }

    /// Sends a heartbeat stamped `unix_secs`.
    ///
    /// # Errors
    /// Oracle refusals or transport failures.
    pub async fn heartbeat(&self, unix_secs: i64) -> Result<()> {
        let _: serde_json::Value = self
            .post(
                "/v1/compute/heartbeat",
                &CapacityMsg::Heartbeat {
                    node: self.node(),
                    unix_secs,
                },
            )
            .await?;
        Ok(())
    }
}

/// The node's liveness and capacity loop (wall clock): a heartbeat every five minutes, and the
/// hour's capacity challenge at a random minute of its first half (so the oracle's load is
/// spread), until `stop`.
///
/// # Errors
/// Never: failures are logged and retried next slot.
pub async fn capacity_loop(
    client: CapacityClient,
    backend: std::sync::Arc<dyn crate::compute::Backend>,
    stop: tokio_util::sync::CancellationToken,
) -> Result<()> {
    use rand::Rng as _;
    let mut proved_hour = None;
    let mut prove_at = None;
    loop {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        if let Err(e) = client.heartbeat(now).await {
            tracing::warn!(error = %e, "heartbeat failed");
        }
        let hour = lattice_math::epoch::hour_of(now);
        let at = *prove_at.get_or_insert_with(|| rand::thread_rng().gen_range(0..1_800));
        if proved_hour != Some(hour) && now.rem_euclid(3_600) >= at {
            match client.prove_hour(backend.clone(), hour).await {
                Ok(s) => {
                    tracing::info!(hour, outcome = %s.outcome, score = s.score, elapsed_ms = s.elapsed_ms, "capacity challenge")
                }
                Err(e) => tracing::warn!(hour, error = %e, "capacity challenge failed"),
            }
            proved_hour = Some(hour);
            prove_at = None;
        }
        tokio::select! {
            () = stop.cancelled() => return Ok(()),
            () = tokio::time::sleep(std::time::Duration::from_secs(300)) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::{compute_c, CpuBackend};

    fn issued(hour: u64, seed: [u8; 32]) -> Issued {
        Issued {
            hour,
            entropy: hex::encode([hour as u8; 32]),
            n: 48,
            chain: 2,
            deadline_ms: 60_000,
            seed_commitment: hex::encode(Sha256::digest(seed)),
            rounds: 2,
            r_bits: 32,
            opened_rows: 16,
        }
    }

    fn prove(issued: &Issued, key: &SigningKey) -> Commitment {
        let ch = issued.challenge(&key.verifying_key().to_bytes()).unwrap();
        let c = compute_c(&CpuBackend::new(1).unwrap(), &ch).unwrap();
        Commitment::from_matrix(ch.n(), c).unwrap()
    }

    #[test]
    fn responses_are_self_contained_and_cannot_be_framed() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let node = key.verifying_key().to_bytes();
        let seed = [9; 32];
        let iss = issued(10, seed);
        let good = prove(&iss, &key);
        let p = VerifyParams::DEFAULT;
        let honest =
            CapacityMsg::open(&respond(&iss, &good, seed, node, &p).unwrap().sign(&key)).unwrap();
        verify_respond(&honest).unwrap();
        // The same correct C answers any seed correctly.
        let other_seed = [3; 32];
        let mut iss2 = iss.clone();
        iss2.seed_commitment = hex::encode(Sha256::digest(other_seed));
        verify_respond(&respond(&iss2, &good, other_seed, node, &p).unwrap()).unwrap();
        // A wrong C is a provable fault.
        let mut c = good.matrix().to_vec();
        c[0] = c[0].wrapping_add(1);
        let bad = Commitment::from_matrix(good.n(), c).unwrap();
        assert!(verify_respond(&respond(&iss, &bad, seed, node, &p).unwrap()).is_err());
        assert!(verify_respond(&CapacityMsg::Start { node, hour: 1 }).is_err());
    }

    fn parts(msg: CapacityMsg) -> (Vec<i128>, Vec<OpenedRow>) {
        match msg {
            CapacityMsg::Respond {
                c_times_r, rows, ..
            } => (c_times_r, rows),
            _ => unreachable!(),
        }
    }

    #[test]
    fn honest_round_trip_verifies_through_signed_messages() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let node = key.verifying_key().to_bytes();
        let seed = [9; 32];
        let iss = issued(10, seed);
        let com = prove(&iss, &key);
        let p = VerifyParams::DEFAULT;
        let wire = respond(&iss, &com, seed, node, &p).unwrap().sign(&key);
        let msg = CapacityMsg::open(&wire).unwrap();
        let (ctr, rows) = parts(msg);
        check_response(
            &iss.challenge(&node).unwrap(),
            &com.root(),
            seed,
            &p,
            ctr,
            rows,
        )
        .unwrap();
    }

    #[test]
    fn proofs_for_another_node_or_hour_or_a_wrong_c_are_rejected() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let other = SigningKey::from_bytes(&[2; 32]);
        let node = key.verifying_key().to_bytes();
        let seed = [9; 32];
        let p = VerifyParams::DEFAULT;
        // Replay of another node's proof (same hour).
        let iss = issued(10, seed);
        let theirs = prove(&iss, &other);
        let (ctr, rows) = parts(respond(&iss, &theirs, seed, node, &p).unwrap());
        assert!(check_response(
            &iss.challenge(&node).unwrap(),
            &theirs.root(),
            seed,
            &p,
            ctr,
            rows
        )
        .is_err());
        // Replay of this node's proof from an earlier hour.
        let old = issued(9, seed);
        let stale = prove(&old, &key);
        let (ctr, rows) = parts(respond(&iss, &stale, seed, node, &p).unwrap());
        assert!(check_response(
            &iss.challenge(&node).unwrap(),
            &stale.root(),
            seed,
            &p,
            ctr,
            rows
        )
        .is_err());
        // A corrupted C (one entry), committed honestly to the corrupted matrix.
        let good = prove(&iss, &key);
        let mut c = good.matrix().to_vec();
        c[5] = c[5].wrapping_add(1);
        let bad = Commitment::from_matrix(good.n(), c).unwrap();
        let (ctr, rows) = parts(respond(&iss, &bad, seed, node, &p).unwrap());
        assert!(check_response(
            &iss.challenge(&node).unwrap(),
            &bad.root(),
            seed,
            &p,
            ctr,
            rows
        )
        .is_err());
        // A wrong Merkle path on an opened row.
        let (ctr, mut rows) = parts(respond(&iss, &good, seed, node, &p).unwrap());
        rows[0].siblings[0][0] ^= 1;
        assert!(check_response(
            &iss.challenge(&node).unwrap(),
            &good.root(),
            seed,
            &p,
            ctr,
            rows
        )
        .is_err());
    }

    #[test]
    fn forged_or_malformed_messages_are_refused() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let msg = CapacityMsg::Start {
            node: key.verifying_key().to_bytes(),
            hour: 3,
        };
        let mut wire = msg.sign(&key);
        assert_eq!(CapacityMsg::open(&wire).unwrap(), msg);
        // Claiming another node's identity with our signature.
        let forged = CapacityMsg::Start {
            node: [7; 32],
            hour: 3,
        };
        let mut w = borsh::to_vec(&forged).unwrap();
        w.extend_from_slice(&wire[wire.len() - 64..]);
        assert!(CapacityMsg::open(&w).is_err());
        wire[3] ^= 1;
        assert!(CapacityMsg::open(&wire).is_err());
        assert!(CapacityMsg::open(&[0; 10]).is_err());
        assert!(CapacityMsg::open(&vec![0; MAX_MESSAGE_BYTES + 1]).is_err());
    }

    #[test]
    fn a_seed_that_breaks_the_commitment_is_refused_by_the_node() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let iss = issued(4, [9; 32]);
        let com = prove(&iss, &key);
        let node = key.verifying_key().to_bytes();
        assert!(respond(&iss, &com, [8; 32], node, &VerifyParams::DEFAULT).is_err());
    }
}
