import { useFetcher } from 'react-router'
import { useHydrated } from '#app/components/hydrated.ts'
import { useT } from '#app/components/translation.tsx'

type VoteControlProps = {
  postType: 'question' | 'answer'
  postId: number
  score: number
  viewerVote: number
  canVote: boolean
  /** Where the form posts: the question page. */
  action: string
}

/** Up / down buttons with the score between. Pressed buttons retract the vote. Without JavaScript the
 *  form posts and the page reloads at this post; with it, the score changes in place. */
export function VoteControl({ postType, postId, score, viewerVote, canVote, action }: VoteControlProps) {
  const { t } = useT()
  const fetcher = useFetcher<{ vote?: { score: number; value: number }; error?: string }>()
  const hydrated = useHydrated()
  const pending = fetcher.formData?.get('value')
  let shownVote = fetcher.data?.vote?.value ?? viewerVote
  let shownScore = fetcher.data?.vote?.score ?? score
  if (typeof pending === 'string') {
    const next = pending === 'up' ? 1 : pending === 'down' ? -1 : 0
    shownScore = shownScore - shownVote + next
    shownVote = next
  }
  const label = postType === 'question' ? t('qa.vote.question_score') : t('qa.vote.answer_score')
  return (
    <div className="vote-control">
      <fetcher.Form method="post" action={action}>
        <input type="hidden" name="intent" value="vote" />
        <input type="hidden" name="postType" value={postType} />
        <input type="hidden" name="postId" value={postId} />
        {hydrated ? <input type="hidden" name="fetch" value="1" /> : null}
        <button
          type="submit"
          name="value"
          value={shownVote === 1 ? 'retract' : 'up'}
          className="vote-button"
          aria-pressed={shownVote === 1}
          disabled={!canVote}
          aria-label={shownVote === 1 ? t('qa.vote.retract_up') : t('qa.vote.up')}
          title={shownVote === 1 ? t('qa.vote.retract_up') : t('qa.vote.up')}
        >
          ▲
        </button>
        <output className="vote-score" aria-label={label} aria-live="polite">
          {shownScore}
        </output>
        <button
          type="submit"
          name="value"
          value={shownVote === -1 ? 'retract' : 'down'}
          className="vote-button"
          aria-pressed={shownVote === -1}
          disabled={!canVote}
          aria-label={shownVote === -1 ? t('qa.vote.retract_down') : t('qa.vote.down')}
          title={shownVote === -1 ? t('qa.vote.retract_down') : t('qa.vote.down')}
        >
          ▼
        </button>
      </fetcher.Form>
      {fetcher.data?.error ? (
        <p className="field-errors" role="alert">
          {fetcher.data.error}
        </p>
      ) : null}
    </div>
  )
}
