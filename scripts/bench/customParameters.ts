/**
 * customParameters: the custom-parameter fuzz of test/credentials/customParametersDelivery.test.ts,
 * larger and with a new seed each run (printed, so a failure can be replayed with --seed=N):
 * every fuzzed set goes through n8n's engine and HTTP client to a server that records the raw
 * request; each set must either arrive exactly or be refused naming an entry before any request.
 */
import fc from 'fast-check';

import { startFaultServer } from '../../test/servers/fault-server';
import { deliveryProblem, parameterSets, REFUSAL, sendCustomParameters } from '../../test/support/customParameterFuzz';
import { check, round, timed, type Scenario } from './common';

const seedArgument = process.argv.find((argument) => argument.startsWith('--seed='));

export const customParameters: Scenario = {
	name: 'customParameters',
	label: ({ quick }) => `customParameters: ${quick ? 200 : 2000} fuzzed custom-parameter sets through n8n's HTTP client`,
	async run({ quick }) {
		const runs = quick ? 200 : 2000;
		const seed = seedArgument ? Number(seedArgument.slice('--seed='.length)) : Date.now() % 2 ** 31;
		const faults = await startFaultServer();
		let refused = 0;
		let delivered = 0;
		const altered: string[] = [];
		try {
			const { ms } = await timed(() =>
				fc.assert(
					fc.asyncProperty(parameterSets(6), async ({ entries, contentType }) => {
						const { error, request } = await sendCustomParameters(faults, entries, contentType);
						if (error !== undefined) {
							refused++;
							if (!REFUSAL.test(error) || request !== undefined) altered.push(`refused badly: ${error}`);
							return;
						}
						delivered++;
						const problem = request === undefined ? 'no token request arrived' : deliveryProblem(request, entries, contentType);
						if (problem !== undefined) altered.push(`${problem} in ${JSON.stringify(entries)}`);
					}),
					{ seed, numRuns: runs },
				),
			);
			return {
				result: { scenario: 'customParameters', seed, sets: runs, delivered, refused, altered: altered.length, wallMs: round(ms, 0), quick },
				checks: [check('altered == 0', altered.length === 0), check('delivered > 0 and refused > 0', delivered > 0 && refused > 0)],
				notes: [`seed ${seed}`, ...altered.slice(0, 5)],
			};
		} finally {
			await faults.close();
		}
	},
};
