//! Batch issuing from a province's list: the import ([`list`]: any file an office saves, every
//! row checked before any card is touched), likely duplicates ([`duplicates`]: the same person
//! under two SSNs, in the list or in the register, decided by a clerk), the job file ([`job`]:
//! each row's data and state recorded durably, so that a crash, a pulled card, Ctrl-C or a
//! network cut never issues an SSN twice, and a corrected list can carry a job on), and the run
//! itself, one card after another ([`run`]).

pub mod duplicates;
pub mod job;
pub mod list;
pub mod run;

pub use duplicates::{Decision, Duplicate, SameAs};
pub use job::{void_pending, Job, JobNote, JobRow, RowCheckpoints, RowState};
pub use list::{read_list, read_list_bytes, List, ListRow, Row, RowProblem};
pub use run::{check, run, BatchOptions, BatchSummary, BatchUi, CheckOptions, CheckSummary};
