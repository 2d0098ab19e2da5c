import { GraphApi } from '../graph/graph-api.port';
import { GraphPost } from '../graph/graph-api.types';
import { OpenPage } from '../page-connection.service';
import { Publication, postText } from '../publication.entity';

/** Meta's clock and ours may differ a little: look this far back from when the call was sent. */
const CLOCK_SLACK_MS = 5 * 60_000;

/**
 * The photo post a create call whose answer was lost made, if any: a post (published or scheduled) with
 * exactly the publication's text, created since the call was sent.
 */
export async function findLostPost(graph: GraphApi, open: OpenPage, p: Publication): Promise<GraphPost | undefined> {
  if (!p.createStartedAt) return undefined;
  const since = new Date(p.createStartedAt.getTime() - CLOCK_SLACK_MS);
  const text = postText(p);
  const posts = [...(await graph.listPublishedPosts(open.page.pageId, open.token, { since, limit: 100 })), ...(await graph.listScheduledPosts(open.page.pageId, open.token))];
  return posts.find((post) => post.message === text && post.createdTime >= since);
}
