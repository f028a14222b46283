// The drill's ethclient code as its change.diff has it (new side).
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
		// The node may still be syncing; callers treat nil as "not yet".
		return nil, nil
	}
	var head *types.Header
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, err
	}
	return head, nil
}

// TransactionByHash returns the transaction with the given hash.
func (ec *Client) TransactionByHash(ctx context.Context, hash common.Hash) (*types.Transaction, bool, error) {
	var tx *rpcTransaction
	if err := ec.c.CallContext(ctx, &tx, "eth_getTransactionByHash", hash); err != nil {
		return nil, false, fmt.Errorf("get transaction %x: %v", hash, err)
	}
	if tx == nil {
		return nil, false, NotFound
	}
	return tx.tx, tx.BlockNumber == nil, nil
}

// TransactionReceipt returns the receipt of a transaction by transaction hash.
func (ec *Client) TransactionReceipt(ctx context.Context, txHash common.Hash) (*types.Receipt, error) {
	var r *types.Receipt
	err := ec.c.CallContext(ctx, &r, "eth_getTransactionReceipt", txHash)
	if err == nil && r == nil {
		return nil, fmt.Errorf("receipt %x: %v", txHash, NotFound)
	}
	return r, err
}
