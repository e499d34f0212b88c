package storetest

// CheckTenantIsolation is the engine-level tenant check of Run, for the
// test that shows it reports a leak through a T other than *testing.T.
var CheckTenantIsolation = checkTenantIsolation
