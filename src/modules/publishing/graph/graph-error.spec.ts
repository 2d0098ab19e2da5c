import { DEFAULT_THROTTLE_WAIT_MS, GraphError } from './graph-error';

const answer = (error: Record<string, unknown>, status = 400, headers: Record<string, string> = {}): GraphError =>
  GraphError.fromResponse(status, { error: { message: 'Meta says no', type: 'OAuthException', fbtrace_id: 'Atrace', ...error } }, headers);

describe('GraphError.fromResponse', () => {
  it.each([
    [{ code: 1 }, 500, 'transient'],
    [{ code: 2, is_transient: true }, 503, 'transient'],
    [{ code: 100, is_transient: true }, 400, 'transient'],
    [{ code: 6000 }, 400, 'transient'],
    [{ code: 100, error_subcode: 1363030 }, 400, 'transient'],
    [{ code: 100, error_subcode: 1363019 }, 400, 'transient'],
    [{ code: 100, error_subcode: 1363033 }, 400, 'transient'],
    [{ code: 12345 }, 502, 'transient'],
    [{ code: 4 }, 403, 'throttled'],
    [{ code: 17 }, 403, 'throttled'],
    [{ code: 32 }, 403, 'throttled'],
    [{ code: 613 }, 400, 'throttled'],
    [{ code: 80001, is_transient: true }, 400, 'throttled'],
    [{ code: 190, error_subcode: 463 }, 400, 'token'],
    [{ code: 10 }, 403, 'permission'],
    [{ code: 200 }, 403, 'permission'],
    [{ code: 299 }, 403, 'permission'],
    [{ code: 368 }, 400, 'policy'],
    [{ code: 100, error_subcode: 1363037 }, 400, 'wrong_offset'],
    [{ code: 100 }, 400, 'bad_request'],
    [{ code: 100, error_subcode: 1366046 }, 400, 'bad_request'],
    [{ code: 3 }, 400, 'bad_request'],
  ])('classifies %j with HTTP %i as %s', (error, status, kind) => {
    expect(answer(error, status).kind).toBe(kind);
  });

  it('classifies by code, never by the wording of the message', () => {
    expect(answer({ code: 100, message: 'Please retry your request later (temporary)' }).kind).toBe('bad_request');
    expect(answer({ code: 190, message: 'An unexpected error has occurred' }).kind).toBe('token');
  });

  it("keeps Meta's words for the editor", () => {
    const error = answer({ code: 100, error_subcode: 1366046, error_user_title: 'Photo Not Uploaded', error_user_msg: 'Use a JPG under 4 MB.' });

    expect(error).toMatchObject({ message: 'Meta says no', code: 100, subcode: 1366046, userTitle: 'Photo Not Uploaded', userMessage: 'Use a JPG under 4 MB.', fbtraceId: 'Atrace', httpStatus: 400 });
  });

  it.each([
    [458, 'app_removed'],
    [460, 'password_changed'],
    [463, 'expired'],
    [467, 'invalid'],
    [492, 'other'],
  ])('names token subcode %i as %s', (subcode, problem) => {
    expect(answer({ code: 190, error_subcode: subcode }).tokenProblem).toBe(problem);
  });

  it('names a 190 without subcode an invalid token', () => {
    expect(answer({ code: 190 }).tokenProblem).toBe('invalid');
  });

  it("waits as long as the Page's business-use-case header says when throttled", () => {
    const headers = { 'x-business-use-case-usage': JSON.stringify({ '42': [{ type: 'pages', call_count: 100, total_cputime: 20, total_time: 30, estimated_time_to_regain_access: 7 }] }) };

    expect(answer({ code: 80001 }, 400, headers).retryAfterMs).toBe(7 * 60_000);
  });

  it('falls back to a longer wait when only a full X-App-Usage is reported, and a default without any header', () => {
    expect(answer({ code: 4 }, 403, { 'x-app-usage': JSON.stringify({ call_count: 100, total_cputime: 5, total_time: 5 }) }).retryAfterMs).toBe(2 * DEFAULT_THROTTLE_WAIT_MS);
    expect(answer({ code: 4 }, 403, { 'x-business-use-case-usage': 'not json' }).retryAfterMs).toBe(DEFAULT_THROTTLE_WAIT_MS);
    expect(answer({ code: 100 }).retryAfterMs).toBeUndefined();
  });

  it('reads the offsets to resume from on a wrong offset, sent as an object or as a JSON string', () => {
    expect(answer({ code: 100, error_subcode: 1363037, error_data: { start_offset: '1048576', end_offset: '2097152' } }).correctOffsets).toEqual({ startOffset: 1048576, endOffset: 2097152 });
    expect(answer({ code: 100, error_subcode: 1363037, error_data: '{"start_offset":"10","end_offset":"20"}' }).correctOffsets).toEqual({ startOffset: 10, endOffset: 20 });
  });

  it('treats an answer that is not a Graph error as a bad request, or transient when the server failed', () => {
    expect(GraphError.fromResponse(404, undefined).kind).toBe('bad_request');
    expect(GraphError.fromResponse(502, '<html>Bad gateway</html>').kind).toBe('transient');
  });
});

describe('GraphError.noAnswer', () => {
  it('calls a lost answer to a sent create an unknown outcome, and anything else worth another try', () => {
    const cause = new Error('socket hang up');

    expect(GraphError.noAnswer(cause, true, false).kind).toBe('outcome_unknown');
    expect(GraphError.noAnswer(cause, false, false).kind).toBe('transient');
    expect(GraphError.noAnswer(cause, true, true).kind).toBe('transient');
    expect(GraphError.noAnswer(cause, true, false).cause).toBe(cause);
  });
});
