package coupang

// Unexported parts that the external tests (package coupang_test) reach.

// Sign is sign, for the signature's golden tests and its fuzz target.
var Sign = sign
