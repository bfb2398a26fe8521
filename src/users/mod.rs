//! People with accounts: their roles, profiles and the `/api/users/me` endpoints.

pub mod cli;
pub mod manage;
pub mod model;
pub mod routes;
pub mod store;

pub use model::{Role, User, UserView};
