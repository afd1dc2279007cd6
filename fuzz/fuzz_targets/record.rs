//! The binary-record reader: arbitrary bytes, as a record or as a whole file (ELF, Mach-O, PE
//! or anything else), must decode or fail cleanly, within bounds; a decoded record re-encodes to
//! the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((record, used)) = contract_core::gates::record::decode(data) {
        let again = contract_core::gates::record::encode(&record).expect("a decoded record encodes");
        assert_eq!(&again[..], &data[..used], "decode/encode round trip");
    }
    let _ = contract_core::gates::record::read::inspect_bytes(data);
});
