// Package common stands in for go-ethereum's common package in the snippet harness.
package common

type Hash [32]byte
