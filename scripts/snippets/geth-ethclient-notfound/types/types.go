// Package types stands in for go-ethereum's core/types in the snippet harness.
package types

type Header struct{ Number uint64 }
type Block struct{ Header *Header }
type Transaction struct{ Nonce uint64 }
type Receipt struct{ Status uint64 }
