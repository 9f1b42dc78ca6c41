pub mod delegation;
pub mod execute;
pub mod init;
pub mod positions;
pub mod proposals;
pub mod ve;

pub use delegation::*;
pub use execute::*;
pub use init::*;
pub use positions::*;
pub use proposals::*;
