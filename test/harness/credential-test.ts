/**
 * Runs a credential test the way the n8n CLI does when a user saves/tests a credential
 * (packages/cli/src/services/credentials-tester.service.ts, CredentialsTester.testCredentials):
 * - find the test: the credential type's `test` request, else a node that lists the credential
 *   with `testedBy` (a `methods.credentialTest` function name, or a request), else for OAuth2
 *   types a check for `oauthTokenData.access_token`;
 * - apply the type's defaults to the data (`applyDefaultsAndOverwrites`);
 * - function tests run with a `CredentialTestContext`; request tests run through n8n-core's
 *   `RoutingNode` on a temporary workflow with one temp node (`parameters: {}`, type
 *   `n8n-nodes-base.noOp` unless the test came from a node) whose only property `temp` routes the
 *   test request, using `ExecuteContext` in 'internal' mode;
 * - errors map to `{ status: 'Error', message }` exactly as the CLI maps them, including `rules`.
 */
import { ExecuteContext, RoutingNode, CredentialTestContext } from 'n8n-core';
import type {
	ICredentialsDecrypted,
	ICredentialTestFunction,
	ICredentialTestFunctions,
	ICredentialTestRequestData,
	IExecuteData,
	IExecuteFunctions,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRunExecutionData,
	ITaskDataConnections,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers, VersionedNodeType, Workflow, createRunExecutionData } from 'n8n-workflow';

import type { TestCredentialsHelper } from './credentials-helper';
import { createAdditionalData, ensureEngineEnvironment } from './engine';

/** The CLI's temp node uses the NoOp node type; the harness brings a stand-in with that name. */
export const NO_OP_NODE_TYPE = 'n8n-nodes-base.noOp';

export class NoOpNode implements INodeType {
	description: INodeType['description'] = {
		displayName: 'No Operation, do nothing',
		name: NO_OP_NODE_TYPE,
		group: ['organization'],
		version: 1,
		description: 'No Operation',
		defaults: { name: 'No Operation, do nothing' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/** lodash `get` for dotted/bracketed paths, as the CLI uses for `responseSuccessBody` rules. */
function getPath(data: unknown, path: string): unknown {
	return path
		.replace(/\[(\w+)\]/g, '.$1')
		.split('.')
		.filter((key) => key !== '')
		.reduce<unknown>(
			(value, key) =>
				value === null || value === undefined ? undefined : (value as Record<string, unknown>)[key],
			data,
		);
}

/** RESPONSE_ERROR_MESSAGES of packages/cli/src/constants.ts. */
const OAUTH2_CREDENTIAL_TEST_SUCCEEDED = 'Connection Successful!';
const OAUTH2_CREDENTIAL_TEST_FAILED = 'This OAuth2 credential was not connected to an account.';

export interface TestCredentialOptions {
	/**
	 * Node types that may carry `testedBy` for the credential (the CLI looks through the nodes
	 * whose description lists the credential type, i.e. its `supportedNodes`).
	 */
	nodeTypes?: Record<string, INodeType | IVersionedNodeType>;
}

function hasAccessToken(credentialsDecrypted: ICredentialsDecrypted): boolean {
	const oauthTokenData = credentialsDecrypted?.data?.oauthTokenData;
	if (typeof oauthTokenData !== 'object' || oauthTokenData === null || Array.isArray(oauthTokenData)) {
		return false;
	}
	return 'access_token' in oauthTokenData;
}

/** Mirrors CredentialsTester.getCredentialTestFunction. */
export function getCredentialTestFunction(
	credentialsHelper: TestCredentialsHelper,
	credentialType: string,
	nodeTypes: Record<string, INodeType | IVersionedNodeType> = {},
): ICredentialTestFunction | ICredentialTestRequestData | undefined {
	const type = credentialsHelper.getCredentialType(credentialType);
	if (type.test) return { testRequest: type.test };

	for (const node of Object.values(nodeTypes)) {
		const allNodeTypes: INodeType[] =
			node instanceof VersionedNodeType ? Object.values(node.nodeVersions) : [node as INodeType];
		// The CLI only looks at supported nodes: those that list the credential type.
		const supports = allNodeTypes.some((nodeType) =>
			(nodeType.description.credentials ?? []).some(({ name }) => name === credentialType),
		);
		if (!supports) continue;

		for (const nodeType of allNodeTypes) {
			for (const { name, testedBy } of nodeType.description.credentials ?? []) {
				if (
					name === credentialType &&
					(credentialsHelper.getParentTypes(name).includes('oAuth2Api') || name === 'oAuth2Api')
				) {
					return async function oauth2CredTest(
						this: ICredentialTestFunctions,
						cred: ICredentialsDecrypted,
					): Promise<INodeCredentialTestResult> {
						return hasAccessToken(cred)
							? { status: 'OK', message: OAUTH2_CREDENTIAL_TEST_SUCCEEDED }
							: { status: 'Error', message: OAUTH2_CREDENTIAL_TEST_FAILED };
					};
				}

				if (name === credentialType && !!testedBy) {
					if (typeof testedBy === 'string') {
						if (node instanceof VersionedNodeType) {
							const versions = Object.keys(node.nodeVersions).sort().reverse();
							for (const version of versions) {
								const credentialTest = node.nodeVersions[parseInt(version, 10)].methods?.credentialTest;
								if (credentialTest && testedBy in credentialTest) return credentialTest[testedBy];
							}
						}
						return (node as INodeType).methods?.credentialTest?.[testedBy];
					}
					return { nodeType, testRequest: testedBy };
				}
			}
		}
	}
	return undefined;
}

/**
 * Mirrors CredentialsTester.testCredentials. `credentialsDecrypted` is what the editor sends:
 * `{ id, name, type, data }` (the CLI persists `preAuthentication` results to the stored
 * credential with that id, so a request test of a type with `preAuthentication` needs it stored).
 */
export async function testCredential(
	credentialsHelper: TestCredentialsHelper,
	credentialType: string,
	credentialsDecrypted: ICredentialsDecrypted,
	options: TestCredentialOptions = {},
): Promise<INodeCredentialTestResult> {
	ensureEngineEnvironment();
	const credentialTestFunction = getCredentialTestFunction(
		credentialsHelper,
		credentialType,
		options.nodeTypes,
	);
	if (credentialTestFunction === undefined) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}

	const additionalData = createAdditionalData({ credentialsHelper });

	if (credentialsDecrypted.data) {
		try {
			credentialsDecrypted.data = await credentialsHelper.applyDefaultsAndOverwrites(
				additionalData,
				credentialsDecrypted.data,
				credentialType,
				'internal',
			);
		} catch (error) {
			return { status: 'Error', message: (error as Error).message.toString() };
		}
	}

	if (typeof credentialTestFunction === 'function') {
		const context = new CredentialTestContext();
		return await credentialTestFunction.call(context, credentialsDecrypted);
	}

	const nodeType: INodeType =
		credentialTestFunction.nodeType ?? new NoOpNode();

	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: nodeType.description.name,
		typeVersion: Array.isArray(nodeType.description.version)
			? nodeType.description.version.slice(-1)[0]
			: nodeType.description.version,
		position: [0, 0],
		credentials: {
			[credentialType]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name },
		},
	};

	const nodeTypeCopy: INodeType = {
		description: {
			...nodeType.description,
			credentials: [{ name: credentialType, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: credentialTestFunction.testRequest.request },
					default: '',
				} as INodeProperties,
			],
		},
	};

	const mockNodeTypes: INodeTypes = {
		getKnownTypes: () => ({}),
		getByName: () => nodeTypeCopy,
		getByNameAndVersion: (_name: string, version?: number) =>
			NodeHelpers.getVersionedNodeType(nodeTypeCopy, version),
	};

	// `new Workflow()` sets the temp node's `parameters.temp` to its default ''.
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: mockNodeTypes });

	const mode = 'internal';
	const runIndex = 0;
	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const connectionInputData: INodeExecutionData[] = [];
	const runExecutionData: IRunExecutionData = createRunExecutionData({ resultData: { runData: {} } });
	const executeData: IExecuteData = { node, data: {}, source: null };
	const executeFunctions = new ExecuteContext(
		workflow,
		node,
		additionalData,
		mode,
		runExecutionData,
		runIndex,
		connectionInputData,
		inputData,
		executeData,
		[],
	);
	const routingNode = new RoutingNode(executeFunctions, nodeTypeCopy, credentialsDecrypted);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (caught) {
		const error = caught as Error & {
			cause?: { response?: { status: number; statusText?: string }; code?: string };
		};
		if (error.cause?.response) {
			const errorResponseData = {
				statusCode: error.cause.response.status,
				statusMessage: error.cause.response.statusText,
			};
			for (const rule of credentialTestFunction.testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && errorResponseData.statusCode === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (errorResponseData.statusCode < 199 || errorResponseData.statusCode > 299) {
				return {
					status: 'Error',
					message:
						errorResponseData.statusMessage ||
						`Received HTTP status code: ${errorResponseData.statusCode}`,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: error.message.toString() };
	}

	const rules = credentialTestFunction.testRequest.rules;
	if (rules && Array.isArray(rules)) {
		for (const rule of rules) {
			if (rule.type === 'responseSuccessBody') {
				const responseData = response![0][0].json;
				if (getPath(responseData, rule.properties.key) === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
		}
	}

	return { status: 'OK', message: 'Connection successful!' };
}
