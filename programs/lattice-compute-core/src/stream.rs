//! Domain tags and the counter-mode SHA-256 byte stream used to expand seeds.
//!
//! Every hash in this crate starts with a domain tag: an ASCII string terminated by a NUL byte
//! with no interior NUL, so no tag is a prefix of another and inputs of different purposes can
//! never collide as byte strings.
//!
//! # Stream
//!
//! [`Sha256Stream::new(key)`](Sha256Stream::new) yields the bytes
//! `block_0 || block_1 || …` where
//!
//! ```text
//! block_j = SHA-256(STREAM_TAG || key || j as u64 little-endian)
//! ```
//!
//! `STREAM_TAG` is exactly 32 bytes, so `STREAM_TAG || key` fills one SHA-256 block: the
//! implementation absorbs it once and each 32-byte output block costs a single compression.
//! This is trivially reimplementable (CUDA, Python, …) and identical on every platform.

use sha2::digest::generic_array::GenericArray;
use sha2::{Digest, Sha256};

use crate::merkle::Hash;

/// Tag of the challenge seed: `SHA-256(CHALLENGE_TAG || node_key || hour_entropy || n u64 LE || chain u32 LE)`.
pub const CHALLENGE_TAG: &[u8] = b"lattice-compute/v1/challenge\0";
/// Tag of a matrix key: `key = SHA-256(MATRIX_TAG || seed || b'A' or b'B' || k u32 LE)`; the
/// matrix bytes are the AES-128-CTR keystream with AES key `key[..16]` and initial counter block
/// `key[16..]` (128-bit big-endian increment), i.e. AES-CTR encryption of zeros. AES-NI/ARMv8
/// AES make this several GB/s, so expanding `A` and `B` is a small part of the verifier's time.
pub const MATRIX_TAG: &[u8] = b"lattice-compute/v2/matrix\0";
/// Tag of a stream block (exactly 32 bytes, see the module docs).
pub const STREAM_TAG: &[u8; 32] = b"lattice-compute/v1/stream-block\0";
/// Tag of a Freivalds vector stream key: `SHA-256(QUERY_R_TAG || verifier_seed || round u32 LE)`.
pub const QUERY_R_TAG: &[u8] = b"lattice-compute/v1/query-r\0";
/// Tag of the row-selection stream key: `SHA-256(QUERY_ROWS_TAG || verifier_seed || n u64 LE)`.
pub const QUERY_ROWS_TAG: &[u8] = b"lattice-compute/v1/query-rows\0";

/// SHA-256 of the concatenation of `parts`.
pub fn hash_parts(parts: &[&[u8]]) -> Hash {
    let mut h = Sha256::new();
    for part in parts {
        h.update(part);
    }
    h.finalize().into()
}

/// SHA-256 initial hash value (FIPS 180-4 §5.3.3).
const SHA256_IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// Counter-mode SHA-256 byte stream (see the module docs).
///
/// `STREAM_TAG || key` is exactly one 64-byte block, and `counter` (8 bytes) plus the padding is
/// the second: the stream keeps the chaining state after the first block and runs one
/// compression (`sha2::compress256`, SHA-NI where the CPU has it) per 32 output bytes, with no
/// hasher bookkeeping. `stream_matches_its_definition` pins it to plain `SHA-256`.
#[derive(Clone)]
pub struct Sha256Stream {
    /// Chaining state after absorbing `STREAM_TAG || key` (one full block).
    prefix: [u32; 8],
    /// Index of the next block to produce.
    counter: u64,
    block: Hash,
    /// Bytes of `block` already handed out; 32 means "exhausted".
    used: usize,
}

impl Sha256Stream {
    /// The stream for `key`, positioned at byte 0.
    pub fn new(key: Hash) -> Self {
        let mut first = [0u8; 64];
        first[..32].copy_from_slice(STREAM_TAG);
        first[32..].copy_from_slice(&key);
        let mut prefix = SHA256_IV;
        sha2::compress256(&mut prefix, &[GenericArray::from(first)]);
        Self {
            prefix,
            counter: 0,
            block: [0; 32],
            used: 32,
        }
    }

    fn refill(&mut self) {
        self.block = self.block_at(self.counter);
        // 2^64 blocks (2^69 bytes) are never requested; wrapping only documents that.
        self.counter = self.counter.wrapping_add(1);
        self.used = 0;
    }

    /// `SHA-256(STREAM_TAG || key || counter LE)`: the second block is the counter, the `0x80`
    /// terminator and the message length (72 bytes = 576 bits, big-endian).
    fn block_at(&self, counter: u64) -> Hash {
        let mut second = [0u8; 64];
        second[..8].copy_from_slice(&counter.to_le_bytes());
        second[8] = 0x80;
        second[56..].copy_from_slice(&576u64.to_be_bytes());
        let mut state = self.prefix;
        sha2::compress256(&mut state, &[GenericArray::from(second)]);
        let mut out = [0u8; 32];
        for (o, w) in out.chunks_exact_mut(4).zip(state) {
            o.copy_from_slice(&w.to_be_bytes());
        }
        out
    }

    /// Fills `out` with the next `out.len()` bytes of the stream.
    pub fn fill(&mut self, out: &mut [u8]) {
        let mut out = out;
        // Whole blocks straight into the output when aligned on a block boundary.
        if self.used == self.block.len() {
            let mut chunks = out.chunks_exact_mut(32);
            for chunk in &mut chunks {
                chunk.copy_from_slice(&self.block_at(self.counter));
                self.counter = self.counter.wrapping_add(1);
            }
            out = chunks.into_remainder();
        }
        while !out.is_empty() {
            if self.used == self.block.len() {
                self.refill();
            }
            let available = &self.block[self.used..];
            let take = available.len().min(out.len());
            let (head, tail) = out.split_at_mut(take);
            head.copy_from_slice(&available[..take]);
            // `take ≤ 32 − used`, so `used` stays ≤ 32.
            self.used += take;
            out = tail;
        }
    }

    /// The next 8 bytes of the stream as a little-endian `u64`.
    pub fn next_u64(&mut self) -> u64 {
        let mut bytes = [0u8; 8];
        self.fill(&mut bytes);
        u64::from_le_bytes(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_prefix_free() {
        let tags: [&[u8]; 5] = [
            CHALLENGE_TAG,
            MATRIX_TAG,
            STREAM_TAG,
            QUERY_R_TAG,
            QUERY_ROWS_TAG,
        ];
        for (i, a) in tags.iter().enumerate() {
            assert_eq!(a.last(), Some(&0), "tag {i} is NUL-terminated");
            assert_eq!(a.iter().filter(|&&b| b == 0).count(), 1, "no interior NUL");
            for (j, b) in tags.iter().enumerate() {
                if i != j {
                    assert!(!b.starts_with(a), "tag {i} is a prefix of tag {j}");
                }
            }
        }
        assert_eq!(STREAM_TAG.len(), 32);
    }

    #[test]
    fn stream_matches_its_definition() {
        let key = [7u8; 32];
        let mut bytes = [0u8; 100];
        Sha256Stream::new(key).fill(&mut bytes);
        for (j, chunk) in bytes.chunks(32).enumerate() {
            let block = hash_parts(&[STREAM_TAG, &key, &(j as u64).to_le_bytes()]);
            assert_eq!(chunk, &block[..chunk.len()]);
        }
    }

    #[test]
    fn reads_are_split_invariant() {
        let key = [9u8; 32];
        let mut whole = [0u8; 97];
        Sha256Stream::new(key).fill(&mut whole);
        let mut s = Sha256Stream::new(key);
        let mut pieces = Vec::new();
        for len in [1usize, 31, 8, 0, 33, 24] {
            let mut buf = vec![0u8; len];
            s.fill(&mut buf);
            pieces.extend_from_slice(&buf);
        }
        assert_eq!(&pieces[..], &whole[..]);
        let mut s = Sha256Stream::new(key);
        let first = s.next_u64();
        assert_eq!(first, u64::from_le_bytes(whole[..8].try_into().unwrap()));
    }

    #[test]
    fn known_answer() {
        // Pins the stream definition (checked against Python's hashlib): changing it changes
        // every challenge.
        let mut got = [0u8; 32];
        Sha256Stream::new([0u8; 32]).fill(&mut got);
        assert_eq!(
            hex(&got),
            "cb2b460d46d23604e3a1b857ff15b28cd4c3d34a5d8f04afaff5e53d4c063b21"
        );
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}
