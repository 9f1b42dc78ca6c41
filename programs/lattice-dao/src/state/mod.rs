//! Account and parameter types. Fields are never reordered; new fields go into `reserved`.

pub mod conversion;
pub mod dao;
pub mod dao_epoch;
pub mod params;
pub mod sub_dao;

pub use conversion::*;
pub use dao::*;
pub use dao_epoch::*;
pub use params::*;
pub use sub_dao::*;
