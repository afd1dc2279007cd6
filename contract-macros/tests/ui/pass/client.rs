//! A client generated at compile time from the pinned `store` contract, with the options of its
//! Cargo.toml table (`interface = "builder"`).

contract_macros::client!(contract = "store");

fn main() {
    let client = Client::new("http://localhost:8080");
    let _request = client.get_item().id(42);
    let _item: Option<types::Item> = None;
}
