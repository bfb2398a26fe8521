//! The admin area's own endpoints: user management and the effective settings.

mod settings;
mod users;
