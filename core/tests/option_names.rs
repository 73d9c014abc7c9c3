//! The option names are listed once, in `abrir_chamado_core::options::OPTION_NAMES`: the custom
//! element's attribute and property maps (`src/embed/element.js`) and the README's attribute and
//! property tables must say the same.

use std::collections::BTreeSet;

use abrir_chamado_core::options::{OPTION_NAMES, PARSED_ATTRIBUTES};

const ELEMENT_JS: &str = include_str!("../../src/embed/element.js");
const README: &str = include_str!("../../README.md");

/// The `"name": "option"` / `name: "option"` lines of the JavaScript object literal `const
/// <name> = { … };`.
fn js_map(name: &str) -> BTreeSet<(String, String)> {
    let start = ELEMENT_JS
        .find(&format!("const {name} = {{"))
        .unwrap_or_else(|| panic!("element.js has no {name}"));
    let body = &ELEMENT_JS[start..];
    let body = &body[..body.find("};").expect("object literal closes")];
    body.lines()
        .skip(1)
        .filter_map(|line| {
            let (key, value) = line.trim().trim_end_matches(',').split_once(':')?;
            Some((
                key.trim().trim_matches('"').to_owned(),
                value.trim().trim_matches('"').to_owned(),
            ))
        })
        .collect()
}

/// The rows of the README table under `heading`: the backticked names of the first column and
/// the second column as written.
fn readme_rows(heading: &str) -> Vec<(Vec<String>, String)> {
    let start = README
        .find(heading)
        .unwrap_or_else(|| panic!("README has no {heading}"));
    README[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|row| {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let names = cells[1]
                .split(',')
                .map(|n| n.trim().trim_matches('`').to_owned())
                .collect();
            (names, cells[2].trim_matches('`').to_owned())
        })
        .collect()
}

#[test]
fn element_js_maps_the_attributes_and_properties_of_the_table() {
    let attributes: BTreeSet<(String, String)> = OPTION_NAMES
        .iter()
        .filter_map(|n| Some((n.attribute?.to_owned(), n.option.to_owned())))
        .collect();
    let properties: BTreeSet<(String, String)> = OPTION_NAMES
        .iter()
        .filter_map(|n| Some((n.property?.to_owned(), n.option.to_owned())))
        .collect();
    assert_eq!(js_map("ATTRIBUTES"), attributes);
    assert_eq!(js_map("PROPERTIES"), properties);
}

#[test]
fn the_readme_lists_the_attributes_and_properties_of_the_table() {
    let mut attributes = BTreeSet::new();
    let mut not_options = Vec::new();
    for (names, option) in readme_rows("### Attributes (simple options)") {
        for name in names {
            match option.as_str() {
                "" => not_options.push(name),
                "same" => {
                    attributes.insert((name.clone(), name));
                }
                option => {
                    attributes.insert((name, option.to_owned()));
                }
            }
        }
    }
    let expected: BTreeSet<(String, String)> = OPTION_NAMES
        .iter()
        .filter_map(|n| Some((n.attribute?.to_owned(), n.option.to_owned())))
        .collect();
    assert_eq!(attributes, expected);
    assert_eq!(
        not_options,
        ["theme"],
        "the one attribute that is not an option"
    );

    let properties: BTreeSet<String> = readme_rows("### Properties (rich options)")
        .into_iter()
        .flat_map(|(names, _)| names)
        .collect();
    let expected: BTreeSet<String> = OPTION_NAMES
        .iter()
        .filter_map(|n| Some(n.property?.to_owned()))
        .collect();
    assert_eq!(properties, expected);
}

/// The names in element.js's `const <name> = new Set([...]);`.
fn js_set(name: &str) -> BTreeSet<String> {
    let start = ELEMENT_JS
        .find(&format!("const {name} = new Set(["))
        .unwrap_or_else(|| panic!("element.js has no {name}"));
    let body = &ELEMENT_JS[start..];
    let body = &body[body.find('[').unwrap() + 1..body.find(']').unwrap()];
    body.split(',')
        .map(|n| n.trim().trim_matches('"').to_owned())
        .filter(|n| !n.is_empty())
        .collect()
}

#[test]
fn element_js_parses_the_attributes_the_core_reports() {
    let mut parsed = js_set("JSON_ATTRIBUTES");
    parsed.extend(js_set("BOOLEAN_ATTRIBUTES"));
    let expected: BTreeSet<String> = PARSED_ATTRIBUTES.iter().map(|a| a.to_string()).collect();
    assert_eq!(parsed, expected);
}
