// Test code: a failed expect is a failed test.
#![allow(clippy::expect_used)]

//! The backend's layers, kept by a test (docs/architecture.md): each top-level module of
//! `backend/src` has a floor, and a module may name (`crate::…`, `super::…`) only modules on a
//! lower floor or in its own folder; no module of the workspace's crates is part of a cycle;
//! the domain (every floor below `mirror`) never names axum; the web layer holds no SQL and
//! opens no transaction.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The floors, lowest first; entries on one floor may not name each other.
const FLOORS: &[&[&str]] = &[
    &["infra"],
    &["error", "audit"],
    &["tenancy"],
    &["auth"],
    &["plans"],
    &["progress"],
    &["views"],
    &["import", "ops"],
    &["mirror"],
    &["config"],
    &["state"],
    &["web"],
    &["startup"],
    &["cli"],
];

/// Floors of the domain and below, where HTTP has no business.
const WITHOUT_AXUM_BELOW: &str = "mirror";

fn floor(entry: &str) -> Option<usize> {
    FLOORS.iter().position(|f| f.contains(&entry))
}

/// Every `.rs` file under `dir`, as (module path like `web/api`, two levels deep, file text
/// without its unit-test module).
fn modules(dir: &Path) -> Vec<(String, PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("a readable source folder") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(dir).expect("under the folder").with_extension("");
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .filter(|p| p != "mod")
                    .collect();
                let text = std::fs::read_to_string(&path).expect("a readable source file");
                let code = match text.find("#[cfg(test)]\nmod tests") {
                    Some(i) => text[..i].to_owned(),
                    None => text,
                };
                out.push((parts.iter().take(2).cloned().collect::<Vec<_>>().join("/"), path, code));
            }
        }
    }
    out
}

/// The identifiers that follow each `prefix` in `code` (`crate::web::api` gives `web`, `api`).
fn paths_after<'a>(code: &'a str, prefix: &str) -> Vec<(&'a str, Option<&'a str>)> {
    let ident = |s: &'a str| -> &'a str {
        let end = s.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(s.len());
        &s[..end]
    };
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let first = ident(rest);
        let second = rest[first.len()..].strip_prefix("::").map(ident).filter(|s| !s.is_empty());
        if !first.is_empty() {
            out.push((first, second));
        }
    }
    out
}

/// The module graph of a crate's `src`: module → the modules it names.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules(src);
    let names: BTreeSet<String> =
        modules.iter().map(|(m, _, _)| m.clone()).filter(|m| m != "lib" && m != "main").collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = names.iter().map(|n| (n.clone(), BTreeSet::new())).collect();
    for (module, _, code) in &modules {
        let Some(targets) = edges.get_mut(module) else { continue };
        let top = module.split('/').next().unwrap_or_default();
        for (a, b) in paths_after(code, "crate::") {
            let two = b.map(|b| format!("{a}/{b}"));
            let target = match two {
                Some(t) if names.contains(&t) => t,
                _ => a.to_owned(),
            };
            let known = names.contains(&target) || names.iter().any(|n| n.starts_with(&format!("{target}/")));
            if known && target != *module && !module.starts_with(&format!("{target}/")) {
                targets.insert(target);
            }
        }
        for (b, _) in paths_after(code, "super::") {
            let target = format!("{top}/{b}");
            if names.contains(&target) && target != *module {
                targets.insert(target);
            }
        }
    }
    edges
}

/// Each cycle of `edges` (Tarjan's strongly connected components of more than one module).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a str) {
        let n = w.index.len();
        w.index.insert(v, n);
        w.low.insert(v, n);
        w.stack.push(v);
        for t in w.edges.get(v).into_iter().flatten() {
            let t = t.as_str();
            if !w.index.contains_key(t) {
                visit(w, t);
                let l = w.low[v].min(w.low[t]);
                w.low.insert(v, l);
            } else if w.stack.contains(&t) {
                let l = w.low[v].min(w.index[t]);
                w.low.insert(v, l);
            }
        }
        if w.low[v] == w.index[v] {
            let mut component = Vec::new();
            while let Some(t) = w.stack.pop() {
                component.push(t.to_owned());
                if t == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                w.out.push(component);
            }
        }
    }
    let mut walk = Walk { edges, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), out: Vec::new() };
    for v in edges.keys() {
        if !walk.index.contains_key(v.as_str()) {
            visit(&mut walk, v);
        }
    }
    walk.out
}

fn crate_src(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name).join("src")
}

#[test]
fn every_module_names_only_modules_on_a_lower_floor_or_in_its_own_folder() {
    let src = crate_src("backend");
    let mut wrong = Vec::new();
    for entry in std::fs::read_dir(&src).expect("backend/src") {
        let name = entry.expect("an entry").file_name().to_string_lossy().trim_end_matches(".rs").to_owned();
        if !["lib", "main"].contains(&name.as_str()) && floor(&name).is_none() {
            wrong.push(format!("{name} has no floor: add it to FLOORS and to docs/architecture.md"));
        }
    }
    for (module, targets) in graph(&src) {
        let top = module.split('/').next().unwrap_or_default();
        for target in targets {
            let target_top = target.split('/').next().unwrap_or_default();
            if target_top == top {
                continue;
            }
            if let (Some(from), Some(to)) = (floor(top), floor(target_top))
                && to >= from
            {
                wrong.push(format!("{module} names {target}, which is not on a lower floor"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layer order:\n{}", wrong.join("\n"));
}

#[test]
fn no_module_of_any_crate_is_part_of_a_cycle() {
    for name in ["backend", "shared", "frontend"] {
        let found = cycles(&graph(&crate_src(name)));
        assert!(found.is_empty(), "cycles among the modules of {name}: {found:?}");
    }
}

#[test]
fn the_domain_never_names_axum() {
    let src = crate_src("backend");
    let ceiling = floor(WITHOUT_AXUM_BELOW).expect("a floor");
    let offenders: Vec<String> = modules(&src)
        .into_iter()
        .filter(|(module, _, code)| {
            let top = module.split('/').next().unwrap_or_default();
            floor(top).is_some_and(|f| f < ceiling) && code.contains("axum")
        })
        .map(|(_, path, _)| path.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "domain modules that name axum: {offenders:?}");
}

/// Where the backend's files that `applies` to (by module and path) hold one of `signs`.
fn signs_in(applies: impl Fn(&str, &Path) -> bool, signs: &[&str]) -> Vec<String> {
    modules(&crate_src("backend"))
        .into_iter()
        .filter(|(module, path, _)| applies(module, path))
        .flat_map(|(_, path, code)| {
            signs
                .iter()
                .filter(|sign| code.contains(*sign))
                .map(|sign| format!("{} has {sign}", path.display()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn handlers_hold_no_sql_and_open_no_transactions() {
    // The web layer extracts, calls the domain and answers; statements and transactions are
    // the domain's (docs/architecture.md).
    let signs = ["sqlx::query", "query_as(", "query_scalar(", "tenant_tx(", "region_tx(", ".begin()"];
    let offenders = signs_in(|module, _| module.starts_with("web"), &signs);
    assert!(offenders.is_empty(), "SQL or transactions in the web layer: {offenders:?}");
}

#[test]
fn api_routes_are_added_only_with_their_documentation() {
    // A route of the JSON API goes into the router only through `ApiRoutes::add` with
    // `utoipa_axum::routes!`, which takes its path from the handler's `#[utoipa::path]`: the
    // OpenAPI document and the router cannot differ (docs/api.md).
    let signs = ["axum::routing", ".route(", "Router::new()", "MethodRouter"];
    let offenders = signs_in(|module, path| module == "web/api" && !path.ends_with("routes.rs"), &signs);
    assert!(offenders.is_empty(), "API routes added around the documented table: {offenders:?}");
}

#[test]
fn the_checks_see_an_import_against_the_order_and_a_cycle() {
    // The checks themselves: a graph with an upward name and a cycle is caught.
    let edges: BTreeMap<String, BTreeSet<String>> = [
        ("a".to_owned(), BTreeSet::from(["b".to_owned()])),
        ("b".to_owned(), BTreeSet::from(["a".to_owned()])),
        ("c".to_owned(), BTreeSet::new()),
    ]
    .into_iter()
    .collect();
    assert_eq!(cycles(&edges), vec![vec!["a".to_owned(), "b".to_owned()]]);
    assert_eq!(
        paths_after("use crate::web::api::x; let y = notcrate::z; crate::infra::db", "crate::"),
        vec![("web", Some("api")), ("infra", Some("db"))]
    );
    assert!(floor("auth") < floor("plans") && floor("web") > floor("state"));
}
