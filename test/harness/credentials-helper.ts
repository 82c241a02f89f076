/**
 * A credentials helper for tests that behaves like the n8n CLI's `CredentialsHelper`
 * (packages/cli/src/credentials-helper.ts) without a database, encryption or the DI services
 * the CLI wires in. Credentials live in an in-memory store of plain (decrypted) data.
 *
 * What is mirrored, and where it comes from (all CLI paths are in the n8n-io/n8n repository):
 * - `getDecrypted`: a fresh object per call (the CLI decrypts the stored ciphertext each time),
 *   defaults of the credential type's properties applied (`NodeHelpers.getNodeParameters`), and
 *   expressions in credential fields resolved (credentials-helper.ts, applyDefaultsAndOverwrites).
 * - `preAuthentication`: the expirable-field rule and the persistence of the merged result
 *   (credentials-helper.ts, preAuthentication).
 * - `authenticate`: function style and generic object style with `={{$credentials.x}}`
 *   (credentials-helper.ts, authenticate / resolveValue).
 * - `getParentTypes` (credential-types.ts), `getCredentialsProperties` (credentials-helper.ts).
 *
 * Not mirrored (no equivalent in a test process): credential overwrites, external secrets,
 * dynamic (per-user) credentials, the AI gateway, policy enforcement, project scoping.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IGetDecryptedCredentialsOptions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	ICredentials,
	ICredentialsHelper,
	NodeHelpers,
	UnexpectedError,
	UserError,
	Workflow,
	getCredentialOwnRequestAllowedDomains,
	isExpression,
} from 'n8n-workflow';
import { getAdditionalKeys } from 'n8n-core';

/** One stored credential, as the CLI keeps it in its `credentials_entity` table (data decrypted). */
export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/** Counters that tests can assert on. All start at 0; `resetCounters()` zeroes them. */
export interface CredentialsHelperCounters {
	/** Calls of `getDecrypted` (n8n-core calls it for every `getCredentials`). */
	getDecryptedCalls: number;
	/** Calls of `preAuthentication` on this helper (what n8n-core calls before each request). */
	preAuthenticationHelperCalls: number;
	/** Times the credential type's own `preAuthentication` function actually ran. */
	preAuthenticationCalls: number;
	/** Times the credential type's `preAuthentication` ran with `credentialsExpired === true`. */
	preAuthenticationExpiredCalls: number;
	/** Calls of `authenticate` on this helper (one per request sent with authentication). */
	authenticateCalls: number;
	/** Writes to the store (`updateCredentials` / `updateCredentialsOauthTokenData`). */
	updateCount: number;
}

/** Error texts of the CLI (errors/credential-not-found.error.ts, credential-missing-id.error.ts). */
export class CredentialNotFoundError extends UserError {
	constructor(credentialId: string, credentialType?: string) {
		super(
			credentialType
				? `Credential with ID "${credentialId}" does not exist for type "${credentialType}".`
				: `Credential with ID "${credentialId}" was not found.`,
		);
	}
}

/**
 * `ICredentials` over plain JSON instead of ciphertext. The CLI returns n8n-core's encrypted
 * `Credentials`; the observable behaviour (getData returns a fresh copy) is the same.
 */
export class PlainCredentials extends ICredentials {
	async getData(): Promise<ICredentialDataDecryptedObject> {
		if (this.data === undefined) {
			throw new UnexpectedError('No data is set so nothing can be returned.');
		}
		return JSON.parse(this.data) as ICredentialDataDecryptedObject;
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: this.data };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.data = JSON.stringify(data);
	}

	async updateData(
		toUpdate: Partial<ICredentialDataDecryptedObject>,
		toDelete: string[] = [],
	): Promise<void> {
		const current = this.data === undefined ? {} : await this.getData();
		const updated = { ...current, ...toUpdate } as ICredentialDataDecryptedObject;
		for (const key of toDelete) delete updated[key];
		await this.setData(updated);
	}
}

/**
 * The CLI restricts the requests a `preAuthentication` hook may send to the credential's own
 * allow-list (credentials-helper.ts, restrictToCredentialDomains). Same logic here.
 */
function restrictToCredentialDomains(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions): Promise<unknown> => {
				const allowedDomains = getCredentialOwnRequestAllowedDomains(credentials);
				if (allowedDomains === undefined) {
					return await helpers.helpers.httpRequest(requestOptions);
				}
				if (requestOptions.allowedDomains !== undefined) {
					throw new UserError(
						'This credential restricts requests to specific domains, which cannot be combined with the domains its authentication step asks for.',
					);
				}
				return await helpers.helpers.httpRequest({ ...requestOptions, allowedDomains });
			},
		},
	};
}

/** The CLI resolves credential expressions on a throwaway workflow with one mock node. */
const mockNode: INode = {
	id: 'mock',
	name: '',
	typeVersion: 1,
	type: 'mock',
	position: [0, 0],
	parameters: {},
};
const mockNodeType = { description: { properties: [] as INodeProperties[] } } as unknown as INodeType;
const mockNodeTypes: INodeTypes = {
	getByName: () => mockNodeType,
	getByNameAndVersion: () => mockNodeType,
	getKnownTypes: () => ({}),
};

export class TestCredentialsHelper extends ICredentialsHelper {
	private readonly types = new Map<string, ICredentialType>();

	private readonly store: Map<string, StoredCredential>;

	readonly counters: CredentialsHelperCounters = TestCredentialsHelper.zeroCounters();

	constructor(credentialTypes: ICredentialType[], credentials: StoredCredential[] = [], store = new Map<string, StoredCredential>()) {
		super();
		this.store = store;
		for (const type of credentialTypes) this.types.set(type.name, type);
		for (const credential of credentials) this.addCredential(credential);
	}

	/**
	 * The helper of another n8n process (a queue-mode worker): credential types of its own (the
	 * package loaded again, with its own module state), the same stored credentials (the database).
	 */
	otherProcess(credentialTypes: ICredentialType[]): TestCredentialsHelper {
		return new TestCredentialsHelper(credentialTypes, [], this.store);
	}

	private static zeroCounters(): CredentialsHelperCounters {
		return {
			getDecryptedCalls: 0,
			preAuthenticationHelperCalls: 0,
			preAuthenticationCalls: 0,
			preAuthenticationExpiredCalls: 0,
			authenticateCalls: 0,
			updateCount: 0,
		};
	}

	/** Shortcut for `counters.preAuthenticationCalls`. */
	get preAuthenticationCalls(): number {
		return this.counters.preAuthenticationCalls;
	}

	/** Shortcut for `counters.updateCount`. */
	get updateCount(): number {
		return this.counters.updateCount;
	}

	resetCounters(): void {
		Object.assign(this.counters, TestCredentialsHelper.zeroCounters());
	}

	// ---------------------------------------------------------------- store (test API)

	/** Adds or replaces a stored credential (data is copied). */
	addCredential(credential: StoredCredential): void {
		this.store.set(credential.id, { ...credential, data: structuredClone(credential.data) });
	}

	/** A copy of what is stored for `id` (raw, without defaults), or undefined. */
	getStoredData(id: string): ICredentialDataDecryptedObject | undefined {
		const stored = this.store.get(id);
		return stored ? structuredClone(stored.data) : undefined;
	}

	/** Overwrites the stored data of `id` without counting it as an n8n write (simulates an edit). */
	setStoredData(id: string, data: ICredentialDataDecryptedObject): void {
		const stored = this.store.get(id);
		if (!stored) throw new CredentialNotFoundError(id);
		stored.data = structuredClone(data);
	}

	/** `{ id, name }` for `INode.credentials`. */
	nodeCredentialsFor(id: string): INodeCredentialsDetails {
		const stored = this.store.get(id);
		if (!stored) throw new CredentialNotFoundError(id);
		return { id: stored.id, name: stored.name };
	}

	// ---------------------------------------------------------------- credential types

	/** Mirrors CredentialTypes.getByName (throws for unknown types like the CLI's loader). */
	getCredentialType(typeName: string): ICredentialType {
		const type = this.types.get(typeName);
		if (!type) throw new UnexpectedError(`Unrecognized credential type: ${typeName}`);
		return type;
	}

	knownCredentialTypes(): ICredentialType[] {
		return [...this.types.values()];
	}

	/** Mirrors CredentialTypes.getParentTypes: direct parents, then their parents; [] if unknown. */
	getParentTypes(typeName: string): string[] {
		const parents = [...(this.types.get(typeName)?.extends ?? [])];
		for (const parent of [...parents]) parents.push(...this.getParentTypes(parent));
		return parents;
	}

	/** Mirrors CredentialsHelper.isCredentialUsableByNode (supportedNodes as given on the type). */
	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		const type = this.types.get(credentialType);
		if (!type?.restrictToSupportedNodes) return true;
		return (type.supportedNodes ?? []).includes(nodeType);
	}

	/** Mirrors CredentialsHelper.getCredentialsProperties (merges `extends`, adds oauthTokenData). */
	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialTypeData = this.getCredentialType(type);

		if (credentialTypeData.extends === undefined) {
			if (['oAuth1Api', 'oAuth2Api'].includes(type)) {
				return [
					...credentialTypeData.properties,
					{
						displayName: 'oauthTokenData',
						name: 'oauthTokenData',
						type: 'json',
						required: false,
						default: {},
					},
				];
			}
			return credentialTypeData.properties;
		}

		const combineProperties = [] as INodeProperties[];
		for (const credentialsTypeName of credentialTypeData.extends) {
			NodeHelpers.mergeNodeProperties(
				combineProperties,
				this.getCredentialsProperties(credentialsTypeName),
			);
		}
		// The properties defined on the parent credentials take precedence
		NodeHelpers.mergeNodeProperties(combineProperties, credentialTypeData.properties);
		return combineProperties;
	}

	// ---------------------------------------------------------------- authentication

	/** Mirrors CredentialsHelper.authenticate. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		this.counters.authenticateCalls++;
		const requestOptions = incomingRequestOptions;
		const credentialType = this.getCredentialType(typeName);

		if (credentialType.authenticate) {
			if (typeof credentialType.authenticate === 'function') {
				return await credentialType.authenticate(credentials, requestOptions as IHttpRequestOptions);
			}

			if (typeof credentialType.authenticate === 'object') {
				if (!workflow || !node) {
					throw new UnexpectedError(
						'Workflow and node are required for declarative credential authentication',
					);
				}
				const { authenticate } = credentialType;
				if (requestOptions.headers === undefined) requestOptions.headers = {};

				if (authenticate.type === 'generic') {
					const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
					for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
						for (const [key, value] of Object.entries(outerValue as IDataObject)) {
							const keyResolved = this.resolveValue(key, { $credentials: credentials }, workflow, node);
							const valueResolved = this.resolveValue(
								value as string,
								{ $credentials: credentials },
								workflow,
								node,
							);
							if (!target[outerKey]) target[outerKey] = {};
							target[outerKey][keyResolved] = valueResolved;
						}
					}
				}
			}
		}

		return requestOptions as IHttpRequestOptions;
	}

	/** Mirrors CredentialsHelper.resolveValue. */
	private resolveValue(
		parameterValue: string,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(parameterValue)) return parameterValue;
		const returnValue = workflow.expression.getSimpleParameterValue(
			node,
			parameterValue,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		if (!returnValue) return '';
		return returnValue.toString();
	}

	/** Mirrors CredentialsHelper.preAuthentication, line by line. */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		this.counters.preAuthenticationHelperCalls++;
		const credentialType = this.getCredentialType(typeName);

		// Only the type's own properties are searched (not inherited ones), as in the CLI.
		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property?.typeOptions?.expirable === true,
		);
		if (expirableProperty?.name === undefined) return undefined;

		// The credential test's temp node: `parameters.temp` is '' once `new Workflow()` has
		// applied the defaults of the temp node type's single `temp` property.
		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';

		if (typeof credentialType.preAuthentication !== 'function') return undefined;

		if (
			credentials[expirableProperty.name] === '' ||
			credentialsExpired ||
			isTestingCredentials
		) {
			this.counters.preAuthenticationCalls++;
			if (credentialsExpired) this.counters.preAuthenticationExpiredCalls++;
			const output = (await credentialType.preAuthentication.call(
				restrictToCredentialDomains(helpers, credentials),
				credentials,
			)) as ICredentialDataDecryptedObject;

			// Without the expirable key in the output nothing is persisted or merged.
			if (output[expirableProperty.name] === undefined) return undefined;

			if (node.credentials) {
				const nodeCredentials = node.credentials[credentialType.name];
				// Never overwrite a field stored as an expression with its resolved value.
				const storedData = await (
					await this.getCredentials(nodeCredentials, credentialType.name)
				).getData();
				const dataToPersist: ICredentialDataDecryptedObject = { ...storedData };
				for (const [key, value] of Object.entries(output)) {
					if (key === expirableProperty.name || !isExpression(storedData[key])) {
						dataToPersist[key] = value;
					}
				}
				await this.updateCredentials(nodeCredentials, credentialType.name, dataToPersist);
				return Object.assign(credentials, output);
			}
		}
		return undefined;
	}

	/** Mirrors CredentialsHelper.runPreAuthentication (used by n8n-core's OAuth2 request path). */
	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.getCredentialType(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		this.counters.preAuthenticationCalls++;
		const output = await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		);
		return (output as ICredentialDataDecryptedObject) ?? undefined;
	}

	// ---------------------------------------------------------------- storage

	/** Mirrors CredentialsHelper.getCredentialsEntity (id required, id + type must match). */
	private getEntity(nodeCredential: INodeCredentialsDetails, type: string): StoredCredential {
		if (!nodeCredential.id) {
			throw new UnexpectedError('Found credential with no ID.', {
				extra: { credentialName: nodeCredential.name },
				tags: { credentialType: type },
			});
		}
		const entity = this.store.get(nodeCredential.id);
		if (!entity || entity.type !== type) throw new CredentialNotFoundError(nodeCredential.id, type);
		return entity;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const entity = this.getEntity(nodeCredentials, type);
		return new PlainCredentials(
			{ id: entity.id, name: entity.name },
			entity.type,
			JSON.stringify(entity.data),
		);
	}

	/** Mirrors CredentialsHelper.getDecrypted: a fresh copy on every call, then defaults. */
	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
		_options?: IGetDecryptedCredentialsOptions,
	): Promise<ICredentialDataDecryptedObject> {
		this.counters.getDecryptedCalls++;
		const credentials = await this.getCredentials(nodeCredentials, type);
		const decryptedDataOriginal = (await credentials.getData()) as ICredentialDataDecryptedObject;
		if (raw === true) return decryptedDataOriginal;
		return await this.applyDefaultsAndOverwrites(
			additionalData,
			decryptedDataOriginal,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/**
	 * Mirrors CredentialsHelper.applyDefaultsAndOverwrites (minus overwrites, OAuth pinned
	 * fields and JSON-leaf expressions): defaults for missing fields, then expressions resolved.
	 * The credential tester calls this too, on the data it is given.
	 */
	async applyDefaultsAndOverwrites(
		additionalData: IWorkflowExecuteAdditionalData,
		decryptedDataOriginal: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const credentialsProperties = this.getCredentialsProperties(type);

		let decryptedData = NodeHelpers.getNodeParameters(
			credentialsProperties,
			{ ...decryptedDataOriginal } as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;

		if (decryptedDataOriginal.oauthTokenData !== undefined) {
			decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
		}
		if (
			decryptedData.allowedHttpRequestDomains === undefined &&
			decryptedDataOriginal.allowedHttpRequestDomains !== undefined
		) {
			decryptedData.allowedHttpRequestDomains = decryptedDataOriginal.allowedHttpRequestDomains;
		}
		if (
			decryptedData.allowedDomains === undefined &&
			decryptedDataOriginal.allowedDomains !== undefined
		) {
			decryptedData.allowedDomains = decryptedDataOriginal.allowedDomains;
		}

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });

		if (expressionResolveValues) {
			try {
				decryptedData = expressionResolveValues.workflow.expression.getParameterValue(
					decryptedData as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					decryptedData,
				) as ICredentialDataDecryptedObject;
			} catch (e) {
				(e as Error).message += ' [Error resolving credentials]';
				throw e;
			}
		} else {
			const workflow = new Workflow({
				nodes: [{ ...mockNode }],
				connections: {},
				active: false,
				nodeTypes: mockNodeTypes,
			});
			decryptedData = workflow.expression.getComplexParameterValue(
				mockNode,
				decryptedData as INodeParameters,
				mode,
				additionalKeys,
				undefined,
				undefined,
				decryptedData,
			) as ICredentialDataDecryptedObject;
		}

		return decryptedData;
	}

	/** Mirrors CredentialsHelper.updateCredentials: replaces the stored data. */
	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const entity = this.getEntity(nodeCredentials, type);
		entity.data = structuredClone(data);
		this.counters.updateCount++;
	}

	/** Mirrors CredentialsHelper.updateCredentialsOauthTokenData: merges `oauthTokenData` only. */
	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
		_additionalData: IWorkflowExecuteAdditionalData,
	): Promise<void> {
		const entity = this.getEntity(nodeCredentials, type);
		entity.data = { ...entity.data, oauthTokenData: structuredClone(data.oauthTokenData) };
		this.counters.updateCount++;
	}
}
