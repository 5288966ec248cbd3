import { useEffect, useRef } from 'react'
import type { Step } from '../../../shared/domain'
import { Collapsible, Field, type OpenLink } from './TraceFields'
import './trace.css'

/** A pipeline trace's steps as numbered sections; the focused one scrolls into view (`[` / `]`). */
export function PipelineSteps({
  steps,
  onOpenLink,
  stepFocus,
  firstFailingStep,
}: {
  steps: Step[]
  onOpenLink: OpenLink
  stepFocus: number | null
  firstFailingStep: number | null
}) {
  return (
    <section className="steps" aria-label="Pipeline steps">
      {steps.map((s, i) => (
        <StepView
          key={`${s.index}-${i}`}
          step={s}
          number={i + 1}
          onOpenLink={onOpenLink}
          focused={stepFocus === i}
          firstFailing={firstFailingStep === s.index}
        />
      ))}
    </section>
  )
}

function StepView({
  step,
  number,
  onOpenLink,
  focused,
  firstFailing,
}: {
  step: Step
  number: number
  onOpenLink: OpenLink
  focused: boolean
  firstFailing: boolean
}) {
  const ref = useRef<HTMLElement>(null)
  useEffect(() => {
    if (focused) ref.current?.scrollIntoView({ block: 'nearest' })
  }, [focused])
  return (
    <section
      ref={ref}
      className={`step${focused ? ' focused' : ''}${firstFailing ? ' first-failing' : ''}`}
      data-step={step.index}
      aria-label={`Step ${number}: ${step.name}`}
      aria-current={focused ? 'step' : undefined}
    >
      <h3>
        <span className="step-number">{number}</span> {step.name}
        {firstFailing && <span className="first-failing-badge">first failing step</span>}
      </h3>
      <Field title="Input" text={step.input} onOpenLink={onOpenLink} />
      <Field title="Output" text={step.output} onOpenLink={onOpenLink} />
      {Object.keys(step.metadata).length > 0 && <Collapsible title="Step metadata" value={step.metadata} />}
    </section>
  )
}
