// `sqlx::migrate!` embeds the migrations at compile time; without this, adding or editing
// one would not rebuild the crate and the binary would carry the old set.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
