import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError, invalidInput } from '../errors';
import { operationOf } from './resources';

/**
 * Runs the chosen operation for every item, in order (a payment node never fires items in
 * parallel), pairs each result with its item, and turns errors into error items when the node
 * is set to continue on fail.
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const results: INodeExecutionData[] = [];
	// One resource and operation per node: n8n drops an operation an expression would choose.
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const selected = operationOf(resource, operation);
	for (let i = 0; i < items.length; i++) {
		try {
			if (selected === undefined) {
				throw invalidInput(this.getNode(), `Operation "${operation}" of resource "${resource}" is not supported.`, i);
			}
			const result = await selected.execute.call(this, i);
			const data = this.helpers.returnJsonArray(result as IDataObject | IDataObject[]);
			results.push(...this.helpers.constructExecutionMetaData(data, { itemData: { item: i } }));
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, i);
			const message = error instanceof Error ? error.message : String(error);
			const description = (error as { description?: unknown }).description;
			results.push({ json: { error: message, ...(typeof description === 'string' && description ? { description } : {}) }, pairedItem: { item: i } });
		}
	}
	return [results];
}
