//! `#[schema]` and the code the generator writes: a boxed (recursive) optional property is left
//! out when it is `None` (the client never sends `null` for it), and the attribute's check
//! accepts the generated types.

use contract_core::gates::schema_check::{self, Direction};

use crate::compile_guard::{guarded_project_from, run_with_serde_json};
use crate::support::Project;

/// The generated struct `name` of the `types` module in `code`.
fn generated_type(code: &str, name: &str) -> syn::DeriveInput {
    let file = syn::parse_file(code).expect("the generated code parses");
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(module) if module.ident == "types" => module.content.as_ref(),
            _ => None,
        })
        .flat_map(|(_, items)| items)
        .find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == name => {
                Some(syn::parse2(quote::ToTokens::to_token_stream(s)).unwrap())
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no generated type `{name}`"))
}

/// What `#[schema]`'s check says of `item` against the schema `name` (or pointer) of the
/// project's spec `spec`, both directions.
fn rejections(project: &Project, spec: &str, item: &syn::DeriveInput, name: &str) -> Vec<String> {
    let document = contract_core::spec::load(&project.path(spec))
        .unwrap()
        .document;
    schema_check::check_component(&document, spec, item, name, Direction::Both)
        .err()
        .unwrap_or_default()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_boxed_optional_property_is_left_out_not_sent_as_null() {
    let project =
        guarded_project_from("recursive-optional", "recursive-optional.yaml", "recursive");
    let code = project.read("src/generated/recursive.rs");
    // The generator boxes the recursive property: `Box<Option<InnerError>>`.
    let inner = generated_type(&code, "InnerError");
    let field = quote::ToTokens::to_token_stream(&inner).to_string();
    assert!(
        field.contains("Box < :: std :: option :: Option < InnerError > >"),
        "{field}"
    );
    for name in ["InnerError", "Error"] {
        let item = generated_type(&code, name);
        let errors = rejections(&project, "specs/recursive.yaml", &item, name);
        assert!(errors.is_empty(), "`{name}` rejected: {errors:?}");
    }

    let output = run_with_serde_json(
        &project,
        "mod generated { pub mod recursive; }\n\
         use generated::recursive::types::InnerError;\n\
         fn main() {\n\
         \x20   let absent = InnerError::default();\n\
         \x20   let nested = InnerError { code: None, inner_error: Box::new(Some(InnerError::default())) };\n\
         \x20   println!(\"{}\", serde_json::to_string(&absent).unwrap());\n\
         \x20   println!(\"{}\", serde_json::to_string(&nested).unwrap());\n\
         }\n",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the client compiles and runs:\n{stderr}"
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "{}\n{\"innerError\":{}}\n"
    );
}

/// A property one `allOf` member declares `integer` and another `number` is an integer
/// (`normalize/all-of-number`): the generator wrote `()` for the required one and left the
/// optional one out, which `#[schema]` rejected; now both are `i64` fields it accepts.
#[test]
fn an_integer_declared_number_by_another_all_of_member_is_an_i64_field() {
    let (project, code, stderr) = generated_from("all-of-number.yaml", "cards");
    let rewrites = stderr.matches("normalize/all-of-number").count();
    assert_eq!(rewrites, 2, "{stderr}");
    let card = generated_type(&code, "MovedProjectCard");
    assert_eq!(
        struct_fields(&card),
        [
            "after_id: :: std :: option :: Option < i64 >",
            "id: i64",
            "run_id: :: std :: option :: Option < i64 >",
        ]
    );
    let pointer = "/components/schemas/Moved/properties/project_card";
    let errors = rejections(&project, "specs/cards.yaml", &card, pointer);
    assert!(errors.is_empty(), "`MovedProjectCard` rejected: {errors:?}");
}

/// An integer of `format: int` or `uint` (widths no standard defines) is `i64`
/// (`normalize/format`): the generator read them as `i32` and `u32`, failing on larger values
/// the spec allows, and `#[schema]` rejected the `i32`; `int32` keeps its width.
#[test]
fn an_integer_of_a_width_no_standard_defines_is_an_i64_field() {
    let (project, code, stderr) = generated_from("integer-widths.yaml", "errors");
    assert_eq!(stderr.matches("normalize/format").count(), 2, "{stderr}");
    let error = generated_type(&code, "ApiError");
    assert_eq!(
        struct_fields(&error),
        [
            "code: i64",
            "count: :: std :: option :: Option < i64 >",
            "small: :: std :: option :: Option < i32 >",
        ]
    );
    let errors = rejections(
        &project,
        "specs/errors.yaml",
        &error,
        "/components/schemas/ApiError",
    );
    assert!(errors.is_empty(), "`ApiError` rejected: {errors:?}");
}

/// A project whose contract `contract` is the fixture `fixture`, generated into
/// `src/<contract>.rs` with `--verbose`: the project, the code and `generate`'s stderr.
fn generated_from(fixture: &str, contract: &str) -> (Project, String, String) {
    let project = Project::single(&format!("gen-{contract}"));
    let spec = format!("specs/{contract}.yaml");
    let output = format!("src/{contract}.rs");
    project.copy_fixture(fixture, &spec);
    project
        .run(&["add", contract, &spec, "--output", &output])
        .expect(0);
    let generated = project.run(&["generate", "--verbose"]).expect(0);
    let code = project.read(&output);
    (project, code, generated.stderr)
}

/// `name: type` of each named field of a struct.
fn struct_fields(item: &syn::DeriveInput) -> Vec<String> {
    let syn::Data::Struct(data) = &item.data else {
        panic!("`{}` is not a struct", item.ident);
    };
    data.fields
        .iter()
        .map(|f| {
            let ty = quote::ToTokens::to_token_stream(&f.ty).to_string();
            format!("{}: {ty}", f.ident.as_ref().unwrap())
        })
        .collect()
}

/// A nullable `anyOf` whose derived type name is a component's gets a type of its own
/// (`normalize/type-name`): the generator had given the field the unrelated component's type,
/// which read `{"name": "a"}` as an empty `RuleChoice` (or defined two types of one name).
#[test]
fn a_nullable_composition_whose_name_is_taken_gets_a_type_of_its_own() {
    let project = guarded_project_from(
        "nullable_composition",
        "names/nullable-composition.yaml",
        "rules",
    );
    let code = project.read("src/generated/rules.rs");
    let rule = generated_type(&code, "Rule");
    assert_eq!(
        struct_fields(&rule),
        [
            "choice: :: std :: option :: Option < RuleChoice2 >",
            "extended: :: std :: option :: Option < RuleExtended2 >",
        ]
    );
    let output = run_with_serde_json(
        &project,
        r##"mod generated { pub mod rules; }
use generated::rules::types::Rule;
fn main() {
    for json in [
        r#"{"choice":{"name":"a"}}"#,
        r#"{"choice":{"id":7}}"#,
        r#"{"extended":{"name":"a","note":"n"}}"#,
    ] {
        let rule: Rule = serde_json::from_str(json).unwrap();
        let back = serde_json::to_value(&rule).unwrap();
        assert_eq!(back, serde_json::from_str::<serde_json::Value>(json).unwrap());
    }
    let none: Rule = serde_json::from_str(r#"{"choice":null}"#).unwrap();
    assert!(none.choice.is_none());
    println!("round trip: ok");
}
"##,
    );
    assert!(
        output.status.success(),
        "the client compiles and round-trips:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), "round trip: ok\n");
}
