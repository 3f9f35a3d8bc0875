// Package coupangredis shares one Coupang vendor's request budget, and the
// protection of its account, among several processes through Redis.
//
// Coupang allows a vendor about 5 requests a second in all, and its lockouts
// and blocks hit the vendor, not the process: three servers that each pace
// themselves at 5/s send 15/s and get the vendor locked out. Give every
// process a Limiter for the same Redis and vendor id:
//
//	rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
//	lim := coupangredis.NewLimiter(rdb, vendorID, 5, coupangredis.WithExpectedProcesses(3))
//	client, err := coupang.NewClient(accessKey, secretKey, vendorID, coupang.WithLimiter(lim))
//
// A process that paces many vendors (a platform with thousands of sellers)
// gives all their Limiters one Pipeline: the Waits that ask Redis at the same
// moment then go out together as one go-redis pipeline, one write and one
// read for dozens of vendors, instead of a command each:
//
//	pipe := coupangredis.NewPipeline(rdb)
//	defer pipe.Close()
//	lim := coupangredis.NewLimiter(rdb, vendorID, 5, coupangredis.WithPipeline(pipe))
//
// NewChangeStore keeps the store of coupang's change feeds
// ((*coupang.ExchangeService).Changes and (*coupang.ReturnService).Changes;
// one store holds both kinds) in the same Redis, with a lease so that one
// pass per vendor and kind runs at a time across the processes:
//
//	store, err := coupangredis.NewChangeStore(rdb, vendorID, 0)
//	for change, err := range client.Exchanges.Changes(ctx, store, coupang.ChangeOptions{}) { … }
//	for change, err := range client.Returns.Changes(ctx, store, coupang.ChangeOptions{}) { … }
//
// It lives in a module of its own so that the core module keeps no Redis
// dependency.
package coupangredis
