//! The help texts of asxh-server's command line.

use crate::cli::Help;

pub(crate) const TEXTS: &[Help] = super::help! {
};
