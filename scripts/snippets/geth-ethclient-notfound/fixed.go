// The drill's code with every snippet of the key applied (bare-bool's function includes cause-dropped's %w).
package ethclient

import (
	"context"
	"encoding/json"
	"fmt"

	"example.com/snippet/common"
	"example.com/snippet/types"
)

func (ec *Client) getBlock(ctx context.Context, method string, args ...interface{}) (*types.Header, error) {
	var raw json.RawMessage
	if err := ec.c.CallContext(ctx, &raw, method, args...); err != nil {
		return nil, err
	} else if len(raw) == 0 || string(raw) == "null" {
		return nil, NotFound
	}
	var head *types.Header
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, err
	}
	return head, nil
}

// TransactionByHash returns the transaction with the given hash. isPending
// reports whether it is still in the pool (not yet in a block).
func (ec *Client) TransactionByHash(ctx context.Context, hash common.Hash) (tx *types.Transaction, isPending bool, err error) {
	var found *rpcTransaction // not `tx`: that is now the name of the first result
	if err := ec.c.CallContext(ctx, &found, "eth_getTransactionByHash", hash); err != nil {
		return nil, false, fmt.Errorf("get transaction %x: %w", hash, err)
	}
	if found == nil {
		return nil, false, NotFound
	}
	return found.tx, found.BlockNumber == nil, nil
}

// TransactionReceipt returns the receipt of a transaction by transaction hash.
func (ec *Client) TransactionReceipt(ctx context.Context, txHash common.Hash) (*types.Receipt, error) {
	var r *types.Receipt
	err := ec.c.CallContext(ctx, &r, "eth_getTransactionReceipt", txHash)
	if err == nil && r == nil {
		return nil, fmt.Errorf("receipt %x: %w", txHash, NotFound)
	}
	return r, err
}
