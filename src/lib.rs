//! schoolhouse: a self-hosted shop and school in one binary.

pub mod admin;
pub mod analytics;
pub mod app;
pub mod audit;
pub mod auth;
pub mod catalog;
pub mod cli;
pub mod clock;
pub mod commerce;
pub mod config;
pub mod cpu_pool;
pub mod db;
pub mod demo;
pub mod health;
pub mod http;
pub mod learning;
pub mod mail;
pub mod openapi;
pub mod ops;
pub mod payments;
pub mod privacy;
pub mod settings;
pub mod state;
pub mod users;
pub mod web;
