// An event rule keyed by a field of the event's data, so a test chooses each decision's key freely
// (non-ASCII, or thousands of characters long), and the way to send it an event over HTTP.
import { jsonOf } from './http';
import { eventually } from './poll';

export const REPO_RULE = `
key: repo-task
trigger: { event: { type: repo.flagged } }
condition: 'true'
task:
  title: "Look at {{ event.data.repo }}"
  target_repo: "{{ event.subject }}"
  priority: medium
  labels: [automated]
dedupe_key: "{{ event.data.repo }}"
`;

export interface PostedDecision {
  id: string;
  workflow_id: string;
  status: string;
}

/** POST /events with one repo.flagged event; returns its decision. */
export async function flagRepo(baseUrl: string, id: string, repo: string): Promise<PostedDecision> {
  const response = await fetch(`${baseUrl}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      specversion: '1.0',
      id,
      source: 'test://live',
      type: 'repo.flagged',
      subject: 'acme',
      time: '2026-11-27T06:00:00Z',
      data: { repo },
    }),
  });
  const body = await jsonOf(response);
  if (response.status !== 202 || body.decisions?.length !== 1) throw new Error(`POST /events answered ${response.status}: ${JSON.stringify(body)}`);
  return body.decisions[0];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the readiness body as jsonOf reads it, for assertions
export async function readiness(baseUrl: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}/health/ready`);
  return { status: response.status, body: await jsonOf(response) };
}

/** Waits until readiness answers `status`, returning that answer. */
export async function readinessIs(baseUrl: string, status: number, what: string, timeoutMs = 30_000) {
  let last: unknown;
  try {
    return await eventually(
      async () => {
        const answer = await readiness(baseUrl);
        last = answer;
        return answer.status === status ? answer : undefined;
      },
      what,
      timeoutMs,
      200,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last answer ${JSON.stringify(last)}`, { cause: error });
  }
}
