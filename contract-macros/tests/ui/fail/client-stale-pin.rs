contract_macros::client!(contract = "stale");

contract_macros::client!(contract = "pets", interface = "builder");

fn main() {}
