//! Property: random sequences of lock, delegate, undelegate, relock, claim and hour advances
//! (each hour cranked: issue the finished hour, checkpoint both sub-DAOs) over two sub-DAOs and
//! four positions of two holders. Every operation succeeds exactly when its preconditions (kept
//! off chain) hold, failing otherwise with its exact error, and:
//! - after every checkpoint, each sub-DAO's `V(h)` equals the sum of `power_at(h)` over the
//!   positions delegated to it at `h`, with the lock they had then (changes count from the hour
//!   after they were made);
//! - every claim pays exactly `⌊Σ_h P(h)·r_h⌋` per closed range and running delegation, with
//!   `r_h = ⌊slice_h·2^64 / V(h)⌋` from the issued slices;
//! - the claims from each sub-DAO never exceed the delegator slices paid into its pool since its
//!   V was enabled, and its aggregate counts exactly what was claimed.
//!
//! Finally every position claims from both sub-DAOs.

#![allow(clippy::arithmetic_side_effects)]

mod common;

use common::*;
use lattice_governance::{GovernanceError as E, Lock, LockKind, VeConfig};
use proptest::prelude::*;
use solana_sdk::{pubkey::Pubkey, signature::Keypair};
use std::collections::BTreeMap;

const SLOTS: usize = 4;

#[derive(Debug, Clone)]
enum Op {
    Lock {
        slot: usize,
        lat: u64,
        constant: bool,
        hours: u64,
    },
    Delegate {
        slot: usize,
        sub: usize,
    },
    Undelegate {
        slot: usize,
    },
    Relock {
        slot: usize,
        constant: bool,
        hours: u64,
    },
    Claim {
        slot: usize,
        sub: usize,
    },
    Advance {
        hours: u64,
    },
}

fn lock(slot: usize) -> impl Strategy<Value = Op> {
    (1u64..=1_000, any::<bool>(), 0u64..=24).prop_map(move |(lat, constant, hours)| Op::Lock {
        slot,
        lat,
        constant,
        hours,
    })
}

/// Locks of some slots in the first hour, then random operations.
fn ops() -> impl Strategy<Value = Vec<Op>> {
    let first = (0..SLOTS)
        .map(|slot| prop::option::weighted(0.75, lock(slot)))
        .collect::<Vec<_>>();
    (first, prop::collection::vec(op(), 1..=25))
        .prop_map(|(first, rest)| first.into_iter().flatten().chain(rest).collect())
}

fn op() -> impl Strategy<Value = Op> {
    let slot = 0usize..SLOTS;
    prop_oneof![
        1 => slot.clone().prop_flat_map(lock),
        4 => (slot.clone(), 0usize..2).prop_map(|(slot, sub)| Op::Delegate { slot, sub }),
        2 => slot.clone().prop_map(|slot| Op::Undelegate { slot }),
        2 => (slot.clone(), any::<bool>(), 0u64..=30)
            .prop_map(|(slot, constant, hours)| Op::Relock { slot, constant, hours }),
        2 => (slot, 0usize..2).prop_map(|(slot, sub)| Op::Claim { slot, sub }),
        4 => (1u64..=2).prop_map(|hours| Op::Advance { hours }),
    ]
}

/// Power parameters with a baseline, so expired cliffs keep some power (all three curve pieces
/// of short locks occur).
fn ve() -> VeConfig {
    VeConfig {
        max_lock_hours: 100,
        baseline_bps: 300,
        extra_bps: 10_000,
    }
}

/// A closed range `[from, to)` of `amount` under `lock`, delegated to `sub`.
#[derive(Debug, Clone, Copy)]
struct Range {
    sub: usize,
    amount: u64,
    lock: Lock,
    from: u64,
    to: u64,
}

/// The off-chain model of one position.
#[derive(Debug)]
struct Model {
    owner: usize,
    key: Pubkey,
    amount: u64,
    lock: Lock,
    /// `(sub-DAO, claim hour)`.
    delegation: Option<(usize, u64)>,
    unsettled: Vec<Range>,
    /// `(from hour, sub-DAO, lock)`: what counts in V from that hour on.
    history: Vec<(u64, Option<usize>, Lock)>,
    claimed: u64,
}

impl Model {
    /// Records the state counting from hour `from` on (the last change of an hour wins).
    fn counts_from(&mut self, from: u64) {
        let entry = (from, self.delegation.map(|d| d.0), self.lock);
        match self.history.last_mut() {
            Some(last) if last.0 == from => *last = entry,
            _ => self.history.push(entry),
        }
    }

    /// The sub-DAO and lock counting at hour `h`.
    fn at(&self, h: u64) -> Option<(usize, Lock)> {
        self.history
            .iter()
            .rev()
            .find(|(from, _, _)| *from <= h)
            .and_then(|(_, sub, lock)| sub.map(|s| (s, *lock)))
    }
}

struct World {
    h: Harness,
    holders: Vec<Keypair>,
    slots: Vec<Option<Model>>,
    /// `(sub, hour) → (slice, V)` of every issued, checkpointed hour.
    hours: BTreeMap<(usize, u64), (u64, u128)>,
    claimed: [u64; 2],
}

impl World {
    fn reward(&self, r: &Range) -> u64 {
        let ve = self.h.ve;
        brute_reward(&ve, r.amount, r.lock, r.from, r.to, |hour| {
            self.hours[&(r.sub, hour)]
        })
    }

    /// Crank one hour and check each sub-DAO's V against the model; remember the finished
    /// hour's slices.
    async fn advance(&mut self) {
        let h = &self.h;
        let hour = h.hour() + 1;
        h.crank_to(hour).await;
        for (i, sub) in h.subs.iter().enumerate() {
            let expected: u128 = self
                .slots
                .iter()
                .flatten()
                .filter_map(|m| {
                    m.at(hour)
                        .filter(|(s, _)| *s == i)
                        .map(|(_, l)| (m.amount, l))
                })
                .map(|(amount, lock)| power(&h.ve, amount, lock, hour))
                .sum();
            let agg = h.sub_ve(sub).await;
            assert_eq!(
                (agg.hour, agg.ve_power),
                (hour, expected),
                "sub {i} hour {hour}"
            );
            assert_eq!(h.recorded_ve(sub, hour).await, expected);
            let prev = hour - 1;
            if prev > h.start_hour {
                let slice = h.slice(sub, prev).await;
                let v = h.recorded_ve(sub, prev).await;
                // The DAO pays a slice only while something is delegated.
                assert_eq!(slice > 0, v > 0, "sub {i} hour {prev}");
                self.hours.insert((i, prev), (slice, v));
            }
        }
    }

    /// Claim `slot` from `sub` and check the amount against the model.
    async fn claim(&mut self, slot: usize, sub: usize) {
        let Some(m) = self.slots[slot].as_mut() else {
            return;
        };
        let b = self.h.sub_ve(&self.h.subs[sub]).await.hour;
        let mut ranges = Vec::new();
        m.unsettled.retain(|r| {
            let due = r.sub == sub && r.to <= b;
            if due {
                ranges.push(*r);
            }
            !due
        });
        if let Some((s, from)) = m.delegation {
            if s == sub && from < b {
                ranges.push(Range {
                    sub,
                    amount: m.amount,
                    lock: m.lock,
                    from,
                    to: b,
                });
                m.delegation = Some((s, b));
            }
        }
        let (owner, key) = (m.owner, m.key);
        let expected: u64 = ranges.iter().map(|r| self.reward(r)).sum();
        let got = self
            .h
            .claim(&self.holders[owner], &key, &self.h.subs[sub])
            .await
            .unwrap();
        assert_eq!(got, expected, "slot {slot} sub {sub} ranges {ranges:?}");
        let m = self.slots[slot].as_mut().unwrap();
        m.claimed += got;
        self.claimed[sub] += got;
        let on_chain = self.h.position(&key).await;
        assert_eq!(on_chain.claimed, m.claimed);
        assert_eq!(on_chain.unsettled.len(), m.unsettled.len());
        // Claims never exceed the slices paid to the pool since V was enabled.
        let slices: u64 = self
            .hours
            .iter()
            .filter(|((s, _), _)| *s == sub)
            .map(|(_, (slice, _))| slice)
            .sum();
        assert!(
            self.claimed[sub] <= slices,
            "sub {sub}: {} > {slices}",
            self.claimed[sub]
        );
        assert_eq!(
            self.h.sub_ve(&self.h.subs[sub]).await.claimed,
            self.claimed[sub]
        );
    }

    /// Close the running range at `next` (relock, undelegate); false when full.
    fn close(m: &mut Model, next: u64) -> bool {
        if let Some((sub, from)) = m.delegation {
            if from < next {
                if m.unsettled.len() >= lattice_governance::MAX_UNSETTLED {
                    return false;
                }
                m.unsettled.push(Range {
                    sub,
                    amount: m.amount,
                    lock: m.lock,
                    from,
                    to: next,
                });
            }
        }
        true
    }

    async fn apply(&mut self, op: Op) {
        let h = &self.h;
        let next = h.next();
        match op {
            Op::Lock {
                slot,
                lat,
                constant,
                hours,
            } => {
                if self.slots[slot].is_some() {
                    return;
                }
                let owner = slot % 2;
                let kind = if constant {
                    LockKind::Constant
                } else {
                    LockKind::Cliff
                };
                let key = h
                    .lock(&self.holders[owner], slot as u64, lat * LAT, kind, hours)
                    .await
                    .unwrap();
                self.slots[slot] = Some(Model {
                    owner,
                    key,
                    amount: lat * LAT,
                    lock: h.new_lock(kind, hours),
                    delegation: None,
                    unsettled: Vec::new(),
                    history: Vec::new(),
                    claimed: 0,
                });
            }
            Op::Delegate { slot, sub } => {
                let Some(m) = self.slots[slot].as_mut() else {
                    return;
                };
                let res = h
                    .delegate(&self.holders[m.owner], &m.key, &h.subs[sub])
                    .await;
                if m.delegation.is_some() {
                    assert_gov_err(res, E::AlreadyDelegated);
                } else if matches!(m.lock, Lock::Cliff { end_hour } if end_hour <= next) {
                    assert_gov_err(res, E::PositionExpired);
                } else {
                    res.unwrap();
                    m.delegation = Some((sub, next));
                    m.counts_from(next);
                }
            }
            Op::Undelegate { slot } => {
                let Some(m) = self.slots[slot].as_mut() else {
                    return;
                };
                let res = h.undelegate(&self.holders[m.owner], &m.key).await;
                if m.delegation.is_none() {
                    assert_gov_err(res, E::NotDelegated);
                } else if !Self::close(m, next) {
                    assert_gov_err(res, E::TooManyUnsettled);
                } else {
                    res.unwrap();
                    m.delegation = None;
                    m.counts_from(next);
                }
            }
            Op::Relock {
                slot,
                constant,
                hours,
            } => {
                let Some(m) = self.slots[slot].as_mut() else {
                    return;
                };
                let kind = if constant {
                    LockKind::Constant
                } else {
                    LockKind::Cliff
                };
                let new = h.new_lock(kind, hours);
                let not_shorter = match (m.lock, new) {
                    (Lock::Cliff { end_hour: a }, Lock::Cliff { end_hour: b }) => b >= a,
                    (
                        Lock::Constant { duration_hours: a },
                        Lock::Constant { duration_hours: b },
                    ) => b >= a,
                    (Lock::Constant { duration_hours: a }, Lock::Cliff { end_hour: b }) => {
                        b - next >= a
                    }
                    (Lock::Cliff { end_hour: a }, Lock::Constant { duration_hours: b }) => {
                        b >= a.saturating_sub(next)
                    }
                };
                let res = h.relock(&self.holders[m.owner], &m.key, kind, hours).await;
                if hours > h.ve.max_lock_hours {
                    assert_gov_err(res, E::InvalidLock);
                } else if !not_shorter {
                    assert_gov_err(res, E::LockShortened);
                } else if !Self::close(m, next) {
                    assert_gov_err(res, E::TooManyUnsettled);
                } else {
                    res.unwrap();
                    m.lock = new;
                    if let Some((sub, _)) = m.delegation {
                        m.delegation = Some((sub, next));
                    }
                    m.counts_from(next);
                    assert_eq!(h.position(&m.key).await.lock, new);
                }
            }
            Op::Claim { slot, sub } => self.claim(slot, sub).await,
            Op::Advance { hours } => {
                for _ in 0..hours {
                    self.advance().await;
                }
            }
        }
    }
}

async fn run(ops: Vec<Op>) {
    let h = Harness::with(ve(), test_params()).await;
    let holders = vec![h.holder().await, h.holder().await];
    let mut w = World {
        h,
        holders,
        slots: (0..SLOTS).map(|_| None).collect(),
        hours: BTreeMap::new(),
        claimed: [0; 2],
    };
    for op in ops {
        w.apply(op).await;
    }
    // Settle: one more hour, then every position claims from both sub-DAOs.
    w.advance().await;
    for slot in 0..SLOTS {
        for sub in 0..2 {
            w.claim(slot, sub).await;
        }
    }
    let checkpoint = w.h.hour();
    for m in w.slots.iter().flatten() {
        assert!(m.unsettled.is_empty(), "{m:?}");
        let p = w.h.position(&m.key).await;
        assert!(p.unsettled.is_empty());
        if let Some(d) = p.delegation {
            assert_eq!(d.claim_hour, checkpoint);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, max_shrink_iters: 16, ..ProptestConfig::default() })]

    #[test]
    fn delegated_power_and_claims_match_the_positions(ops in ops()) {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(run(ops));
    }
}
