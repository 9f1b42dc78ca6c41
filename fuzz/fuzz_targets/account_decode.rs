//! Account-data decoding of every Lattice state account (`AccountDeserialize::try_deserialize`,
//! what `Account<'info, T>` runs on every account an instruction is given).
//!
//! Invariants:
//! * data that does not start with the type's discriminator is refused;
//! * within a program no account discriminator prefixes another (no type confusion between
//!   accounts of one owner);
//! * a decoded account re-serialises (`try_serialize`) to a prefix of the bytes it was decoded
//!   from (canonical encoding; the rest is unused space), and decoding that re-serialisation
//!   gives the same bytes again.
//!
//! Input: `[mode, pick, rest..]`, as in `ix_decode`: an odd `mode` prefixes `rest` with the
//! discriminator of account type `pick`, an even one tries `rest` against every type.
#![no_main]

use anchor_lang::{AccountDeserialize, AccountSerialize, Discriminator};
use libfuzzer_sys::fuzz_target;

struct Acct {
    program: &'static str,
    name: &'static str,
    disc: &'static [u8],
    /// Decode; on success the re-serialisation and the re-serialisation of its decoding.
    roundtrip: fn(&[u8]) -> Option<(Vec<u8>, Vec<u8>)>,
}

fn roundtrip<T: AccountDeserialize + AccountSerialize + Discriminator>(data: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let decoded = T::try_deserialize(&mut &data[..]);
    if !data.starts_with(T::DISCRIMINATOR) {
        assert!(decoded.is_err(), "decoded without its discriminator");
    }
    let a = decoded.ok()?;
    let mut first = Vec::new();
    a.try_serialize(&mut first).expect("a decoded account serialises");
    let b = T::try_deserialize(&mut &first[..]).expect("a re-serialised account decodes");
    let mut second = Vec::new();
    b.try_serialize(&mut second).expect("a decoded account serialises");
    Some((first, second))
}

macro_rules! accounts {
    ($($krate:ident: [$($ty:ident),* $(,)?]),* $(,)?) => {
        &[$($(Acct {
            program: stringify!($krate),
            name: stringify!($ty),
            disc: <$krate::$ty as Discriminator>::DISCRIMINATOR,
            roundtrip: roundtrip::<$krate::$ty>,
        },)*)*]
    };
}

static ACCOUNTS: &[Acct] = accounts! {
    lattice_dao: [Dao, SubDao, DaoEpoch, SubDaoEpoch, Conversion],
    lattice_data_credits: [DataCredits, SubDaoDc],
    lattice_registry: [Registry, Hotspot, GpuNode],
    lattice_rewards: [RewardsConfig, EpochRoot, ClaimRecord],
    lattice_compute: [ComputeConfig, Market, Job, NodeEpoch, Fault],
    lattice_governance: [Governance, Position, SubDaoVe, VeHour, Proposal, VoteRecord],
};

fn check(a: &Acct, data: &[u8]) {
    if let Some((first, second)) = (a.roundtrip)(data) {
        assert!(
            data.starts_with(&first),
            "{}::{} re-serialises to bytes that are not a prefix of its input",
            a.program, a.name
        );
        assert_eq!(first, second, "{}::{} round trip is not stable", a.program, a.name);
    }
}

fuzz_target!(|input: &[u8]| {
    static CHECKED: std::sync::Once = std::sync::Once::new();
    CHECKED.call_once(|| {
        for x in ACCOUNTS {
            for y in ACCOUNTS {
                if x.program == y.program && x.name != y.name {
                    assert!(!x.disc.starts_with(y.disc), "{}: {} vs {}", x.program, x.name, y.name);
                }
            }
        }
    });
    let [mode, pick, rest @ ..] = input else { return };
    if mode & 1 == 0 {
        for a in ACCOUNTS {
            check(a, rest);
        }
    } else {
        let a = &ACCOUNTS[usize::from(*pick) % ACCOUNTS.len()];
        let mut data = a.disc.to_vec();
        data.extend_from_slice(rest);
        check(a, &data);
    }
});
