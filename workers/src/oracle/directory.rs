//! Registered hotspots, read from the registry program's accounts and cached.

use lattice_poc_core::{hour::HotspotInfo, Key, Position};
use lattice_sdk::{solana::Pubkey, Chain};
use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

/// How long an unknown key stays cached as unknown (a fresh registration shows up quickly).
const NEGATIVE_TTL: Duration = Duration::from_secs(30);
/// Accounts per `getMultipleAccounts`.
const CHUNK: usize = 100;

/// Hotspot lookups with a TTL cache.
pub struct Directory<C: Chain> {
    chain: C,
    ttl: Duration,
    cache: Mutex<HashMap<Key, (Option<HotspotInfo>, Instant)>>,
    pinned: Mutex<HashMap<Key, Option<HotspotInfo>>>,
    owners: Mutex<HashMap<Key, Key>>,
}

/// Decode a hotspot account into what the rules need (`None` if it is not a hotspot).
pub fn hotspot_info(data: &[u8]) -> Option<HotspotInfo> {
    let h: lattice_registry::Hotspot = lattice_sdk::accounts::decode(data).ok()?;
    Some(HotspotInfo {
        position: (h.location != 0).then_some(Position {
            cell: h.location,
            gain_dbi_x10: h.gain_dbi_x10,
            elevation_m: h.elevation_m,
        }),
    })
}

impl<C: Chain> Directory<C> {
    /// A directory over `chain`, caching registrations for `ttl`.
    pub fn new(chain: C, ttl: Duration) -> Self {
        Self {
            chain,
            ttl,
            cache: Mutex::new(HashMap::new()),
            pinned: Mutex::new(HashMap::new()),
            owners: Mutex::new(HashMap::new()),
        }
    }

    /// Pin an entry: it is answered without reading the chain, at ingest and at settlement
    /// (tests and benchmarks, which have no registry on their chain).
    pub fn insert(&self, key: Key, info: Option<HotspotInfo>) {
        if let Ok(mut p) = self.pinned.lock() {
            p.insert(key, info);
        }
    }

    fn take_pinned(&self, keys: &[Key], out: &mut HashMap<Key, Option<HotspotInfo>>) -> Vec<Key> {
        let Ok(p) = self.pinned.lock() else {
            return keys.to_vec();
        };
        if p.is_empty() {
            return keys.to_vec();
        }
        keys.iter()
            .filter(|k| match p.get(*k) {
                Some(info) => {
                    out.insert(**k, *info);
                    false
                }
                None => true,
            })
            .copied()
            .collect()
    }

    /// Devices last seen owned by `owner` (as of their last registry read).
    pub fn devices_of(&self, owner: &Key) -> Vec<Key> {
        let mut v: Vec<Key> = self
            .owners
            .lock()
            .map(|o| {
                o.iter()
                    .filter(|(_, w)| *w == owner)
                    .map(|(d, _)| *d)
                    .collect()
            })
            .unwrap_or_default();
        v.sort_unstable();
        v
    }

    /// Look up `keys`, from the cache where fresh, from the chain otherwise.
    pub async fn lookup(
        &self,
        keys: &[Key],
    ) -> Result<HashMap<Key, Option<HotspotInfo>>, lattice_sdk::ChainError> {
        let now = Instant::now();
        let mut out = HashMap::with_capacity(keys.len());
        let keys = self.take_pinned(keys, &mut out);
        let mut missing = Vec::new();
        if let Ok(c) = self.cache.lock() {
            for k in &keys {
                match c.get(k) {
                    Some((info, at))
                        if now.duration_since(*at)
                            < if info.is_some() {
                                self.ttl
                            } else {
                                NEGATIVE_TTL
                            } =>
                    {
                        out.insert(*k, *info);
                    }
                    _ => missing.push(*k),
                }
            }
        }
        missing.sort_unstable();
        missing.dedup();
        self.fetch_into(&missing, &mut out).await?;
        Ok(out)
    }

    /// Fetch `keys` from the chain, bypassing the cache (settlement reads fresh locations).
    pub async fn refresh(
        &self,
        keys: &[Key],
    ) -> Result<HashMap<Key, Option<HotspotInfo>>, lattice_sdk::ChainError> {
        let mut out = HashMap::with_capacity(keys.len());
        let keys = self.take_pinned(keys, &mut out);
        self.fetch_into(&keys, &mut out).await?;
        Ok(out)
    }

    async fn fetch_into(
        &self,
        keys: &[Key],
        out: &mut HashMap<Key, Option<HotspotInfo>>,
    ) -> Result<(), lattice_sdk::ChainError> {
        for chunk in keys.chunks(CHUNK) {
            let addrs: Vec<Pubkey> = chunk
                .iter()
                .map(|k| lattice_sdk::registry::hotspot(&Pubkey::new_from_array(*k)))
                .collect();
            let accounts = self.chain.get_multiple_accounts(&addrs).await?;
            let now = Instant::now();
            let mut cache = self.cache.lock().ok();
            let mut owners = self.owners.lock().ok();
            for (k, acc) in chunk.iter().zip(accounts) {
                let acc = acc.filter(|a| a.owner == lattice_registry::ID);
                if let (Some(a), Some(o)) = (acc.as_ref(), owners.as_mut()) {
                    if let Ok(h) =
                        lattice_sdk::accounts::decode::<lattice_registry::Hotspot>(&a.data)
                    {
                        o.insert(*k, h.owner.to_bytes());
                    }
                }
                let info = acc.and_then(|a| hotspot_info(&a.data));
                out.insert(*k, info);
                if let Some(c) = cache.as_mut() {
                    c.insert(*k, (info, now));
                }
            }
        }
        Ok(())
    }
}
