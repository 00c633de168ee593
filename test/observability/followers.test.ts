// The followers of `logs --follow`: the line source is subscribed only while someone follows,
// each follower gets only what its filter asks for, and one who reads too slowly loses lines
// (and is told how many) instead of holding the gateway back.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { channel } from 'node:diagnostics_channel';
import {
  EXECUTION_LOG_CHANNEL,
  localLines,
  type FollowLine,
  type LineSource,
} from '../../src/observability/follow-lines.js';
import { Followers, matches, parseStatusFilter } from '../../src/observability/followers.js';

/** A response that keeps what is written; a test sets how much is unread (writableLength). */
class Sink extends EventEmitter {
  written: string[] = [];
  writableLength = 0;
  write(text: string) {
    this.written.push(text);
    return true;
  }
  end() {
    this.emit('close');
  }
}

function request(status: number, stage = 'dev'): FollowLine {
  return {
    kind: 'request',
    time: '2026-12-02T12:00:00.000Z',
    requestId: `r-${status}`,
    method: 'GET',
    url: `/${stage}/a`,
    apiId: 'abc',
    apiName: 'my-api',
    stage,
    status,
    ms: 1,
  };
}

function countingSource() {
  let emit: ((line: FollowLine) => void) | undefined;
  const state = { subscribed: 0, emit: (line: FollowLine) => emit?.(line) };
  const source: LineSource = (e) => {
    state.subscribed++;
    emit = e;
    return () => {
      state.subscribed--;
      emit = undefined;
    };
  };
  return { source, state };
}

describe('Followers', () => {
  it('subscribes with the first follower and unsubscribes with the last', () => {
    const { source, state } = countingSource();
    const followers = new Followers(source);
    assert.equal(state.subscribed, 0);
    const a = new Sink();
    const b = new Sink();
    followers.add(a as unknown as ServerResponse, {});
    followers.add(b as unknown as ServerResponse, {});
    assert.equal(state.subscribed, 1);
    a.emit('close');
    assert.equal(state.subscribed, 1);
    b.emit('close');
    assert.equal(state.subscribed, 0);
    assert.equal(followers.count, 0);
  });

  it('drops lines for a follower with too much unread, then says how many', () => {
    const { source, state } = countingSource();
    const followers = new Followers(source, 100);
    const slow = new Sink();
    followers.add(slow as unknown as ServerResponse, {});
    state.emit(request(200));
    slow.writableLength = 1000;
    state.emit(request(201));
    state.emit(request(202));
    slow.writableLength = 0;
    state.emit(request(203));
    const lines = slow.written.map((t) => JSON.parse(t) as FollowLine);
    assert.deepEqual(
      lines.map((l) => (l.kind === 'request' ? l.status : l.kind === 'dropped' ? -l.count : 0)),
      [200, -2, 203],
    );
    followers.closeAll();
    assert.equal(state.subscribed, 0);
  });

  it('filters by API id or name, stage and status', () => {
    assert.ok(matches({ api: 'abc' }, request(200)));
    assert.ok(matches({ api: 'my-api' }, request(200)));
    assert.ok(!matches({ api: 'other' }, request(200)));
    assert.ok(!matches({ stage: 'prod' }, request(200)));
    assert.ok(matches({ status: '4xx' }, request(403)));
    assert.ok(!matches({ status: '4xx' }, request(500)));
    assert.ok(matches({ status: '403' }, request(403)));
    assert.ok(!matches({ status: '401' }, request(403)));
    assert.equal(parseStatusFilter('4XX'), '4xx');
    assert.throws(() => parseStatusFilter('4x'), /--status: a status \(403\) or a class \(4xx\)/);
  });
});

describe('localLines', () => {
  it('passes on execution-log lines published by name, and stops when told', () => {
    const lines: FollowLine[] = [];
    const execution = channel(EXECUTION_LOG_CHANNEL);
    const stop = localLines((line) => lines.push(line));
    execution.publish({
      requestId: 'r-1',
      restApiId: 'abc',
      stage: 'dev',
      time: Date.UTC(2026, 11, 2, 12),
      line: 'Starting execution for request: r-1',
    });
    execution.publish({ something: 'else' });
    stop();
    execution.publish({ requestId: 'r-2', line: 'after' });
    assert.deepEqual(lines, [
      {
        kind: 'execution',
        time: '2026-12-02T12:00:00.000Z',
        requestId: 'r-1',
        apiId: 'abc',
        stage: 'dev',
        line: 'Starting execution for request: r-1',
      },
    ]);
  });
});
