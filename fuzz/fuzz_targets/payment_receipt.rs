//! cargo-fuzz wrapper of [`asxh_fuzz_targets::payment_receipt`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| asxh_fuzz_targets::payment_receipt(data));
