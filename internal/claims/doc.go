// Package claims is the engine shared by the kinds of claims a seller
// handles (exchanges, returns): the change feed that tells new, changed and
// withdrawn records from the ones a store already delivered, the
// fingerprints it compares, and the Ensure algorithm that applies a write
// once whatever its answer. It is generic over the record type and knows
// nothing of Coupang's API: the coupang package's services are thin doors
// onto it, passing their listing, their store and their writes as
// functions.
package claims
