package api_test

import "github.com/shopcare/shopcare/internal/store"

func storeEngine(s string) store.Engine { return store.Engine(s) }
