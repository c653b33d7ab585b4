//! One module per subcommand.
pub mod alb;
pub mod cf_args;
pub mod cf_function;
pub mod cookies;
pub mod jwt;
pub mod keygen;
pub mod out;
pub mod policy;
pub mod secret_hash;
pub mod token;
pub mod url;
