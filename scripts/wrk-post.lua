wrk.method = "POST"
wrk.body   = '{"sku":"A","quantity":1}'
wrk.headers["Content-Type"] = "application/json"
