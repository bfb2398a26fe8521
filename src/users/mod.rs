//! People with accounts: their roles and profiles (model and SQL). Every layer may name a
//! user; the endpoints and commands that change accounts live in `account` and `cli::user`.

pub mod model;
pub mod store;

pub use model::{Role, User, UserView};
