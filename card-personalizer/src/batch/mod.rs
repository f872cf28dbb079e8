//! Batch issuing from a province's list: the CSV import ([`list`]: every row checked before any
//! card is touched), the job file ([`job`]: each row's state recorded durably, so that a crash, a
//! pulled card or a network cut never issues an SSN twice and never leaves a PENDING card on the
//! server without a decision), and the run itself, one card after another ([`run`]).

pub mod job;
pub mod list;
pub mod run;

pub use job::{void_pending, Job, JobRow, RowCheckpoints, RowState};
pub use list::{read_list, read_list_bytes, Row, RowProblem};
pub use run::{run, BatchOptions, BatchSummary, BatchUi};
