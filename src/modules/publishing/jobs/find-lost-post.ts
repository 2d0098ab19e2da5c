import { GraphApi } from '../graph/graph-api.port';
import { GraphPost } from '../graph/graph-api.types';
import { OpenPage } from '../page-connection.service';
import { Publication, postText } from '../publication.entity';

/** Meta's clock and ours may differ a little: look this far back from when the call was sent. */
const CLOCK_SLACK_MS = 5 * 60_000;

/** Which of these post ids other publications already own. */
export type ClaimedElsewhere = (postIds: string[]) => Promise<Set<string>>;

/**
 * The photo post a create call whose answer was lost made, if any: a post (published or scheduled) with
 * exactly the publication's text, created since the call was sent, and not another publication's. Two
 * items may well carry the same words; taking the other's post for this one would record this item as
 * out when it is not, and a takedown of this one would delete the other.
 */
export async function findLostPost(graph: GraphApi, open: OpenPage, p: Publication, claimedElsewhere: ClaimedElsewhere): Promise<GraphPost | undefined> {
  if (!p.createStartedAt) return undefined;
  const since = new Date(p.createStartedAt.getTime() - CLOCK_SLACK_MS);
  const text = postText(p);
  const posts = [...(await graph.listPublishedPosts(open.page.pageId, open.token, { since, limit: 100 })), ...(await graph.listScheduledPosts(open.page.pageId, open.token))];
  const candidates = posts.filter((post) => post.message === text && post.createdTime >= since);
  const others = await claimedElsewhere(candidates.map((post) => post.id));
  return candidates.find((post) => !others.has(post.id));
}
