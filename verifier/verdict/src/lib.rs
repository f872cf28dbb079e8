//! asxh-verdict: the verification procedure of SPEC.md §5.5 and §11.2 against one snapshot of
//! the lists ([`check`]), the payment roll's lines for the holder ([`roll`]), and what it concludes ([`verdict`]): one [`Outcome`] with its exit code
//! and the facts shown to the clerk, and what it found ([`finding`]), written through the
//! catalogue. It holds no storage, no network and no reader: the payment
//! point's verifier feeds it its cached lists, and the personalizer reads a written card back
//! through it exactly as a payment point would.
#![forbid(unsafe_code)]

pub mod check;
pub mod finding;
pub mod roll;
pub mod standing;
pub mod verdict;

pub use check::{Checker, Lists, Policy};
pub use finding::Finding;
pub use verdict::{Outcome, Verdict};
