//! Reading transcripts: bad lines named, a cut-off last line tolerated, hostile input never
//! a panic.
