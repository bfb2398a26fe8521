//! Continuous replication with Litestream: the supervised child, its status, restore from
//! the replica, the standby follower and its promotion.

pub mod litestream;
pub mod restore;
pub mod standby;
pub mod status;
pub mod supervisor;
