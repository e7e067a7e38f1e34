//! The pages of the site, one file each, as methods of [`super::site::Site`].

mod changelog;
mod index;
mod table;
