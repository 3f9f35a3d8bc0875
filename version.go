package coupang

// Version is this module's release, sent in the User-Agent of every request so
// that Coupang's logs (and a proxy's) show which client version made a call.
// It follows semantic versioning; see CHANGELOG.md for what each release
// changed.
const Version = "0.1.0"
