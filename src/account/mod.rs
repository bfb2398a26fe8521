//! The signed-in person's own account (`/api/users/me`) and account management shared by
//! the admin endpoints and the CLI.

pub mod locales;
pub mod manage;
pub mod routes;
