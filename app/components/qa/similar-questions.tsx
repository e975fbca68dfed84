import { Link } from 'react-router'
import { useT } from '#app/components/translation.tsx'
import { questionPath } from '#app/lib/paths.ts'

export type SimilarQuestion = { id: number; title: string; answerCount: number; accepted: boolean }

/** "Similar questions" under the ask form's title: maybe the answer already exists. */
export function SimilarQuestions({ questions }: { questions: SimilarQuestion[] }) {
  const { t } = useT()
  return (
    <div className="similar-questions" aria-live="polite">
      {questions.length ? (
        <>
          <h2 className="similar-title">{t('qa.ask.similar_title')}</h2>
          <ul>
            {questions.map((question) => (
              <li key={question.id}>
                <Link to={questionPath(question)} target="_blank" rel="noopener">
                  {question.title}
                </Link>{' '}
                <span className="muted">
                  {question.accepted ? t('qa.answered') : t('qa.list.answers', { count: question.answerCount })}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  )
}
