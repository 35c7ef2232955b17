//! The one bounded fan-out every "many requests, a few at a time" loop uses (latest states for a plan, a list
//! or the overview; every status for a backup); core's budget bounds the requests again.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::rc::Rc;

/// Runs `work` on every item, at most `workers` at once, taking the items in order. Each answer is told to
/// `done` as it arrives (its item's index, so a caller can show progress or keep what was read even if a
/// later one fails). The first failure ends it: nothing more is started, and that failure is returned;
/// otherwise every answer, in the order of the items.
pub async fn all<T, R, E, F, Fut>(
    items: Vec<T>,
    workers: usize,
    work: F,
    done: impl Fn(usize, &R) + 'static,
) -> Result<Vec<R>, E>
where
    T: 'static,
    R: 'static,
    E: 'static,
    F: Fn(T) -> Fut + 'static,
    Fut: Future<Output = Result<R, E>> + 'static,
{
    let total = items.len();
    let queue = Rc::new(RefCell::new(
        items.into_iter().enumerate().collect::<VecDeque<_>>(),
    ));
    let answers: Rc<RefCell<Vec<Option<R>>>> =
        Rc::new(RefCell::new((0..total).map(|_| None).collect()));
    let failure: Rc<RefCell<Option<E>>> = Rc::new(RefCell::new(None));
    let (work, done) = (Rc::new(work), Rc::new(done));
    let lanes = (0..workers.max(1).min(total.max(1))).map(|_| {
        let (queue, answers, failure, work, done) = (
            queue.clone(),
            answers.clone(),
            failure.clone(),
            work.clone(),
            done.clone(),
        );
        async move {
            loop {
                if failure.borrow().is_some() {
                    break;
                }
                let next = queue.borrow_mut().pop_front();
                let Some((index, item)) = next else { break };
                match work(item).await {
                    Ok(answer) => {
                        done(index, &answer);
                        answers.borrow_mut()[index] = Some(answer);
                    }
                    Err(error) => {
                        let mut first = failure.borrow_mut();
                        if first.is_none() {
                            *first = Some(error);
                        }
                    }
                }
            }
        }
    });
    futures::future::join_all(lanes).await;
    if let Some(error) = failure.borrow_mut().take() {
        return Err(error);
    }
    let answers = answers.take();
    Ok(answers.into_iter().flatten().collect())
}

/// Work started now, in the background, whose answers are awaited later (a read that goes on beside another):
/// every piece still running stops when this is dropped, so a view that goes away leaves nothing behind.
pub struct Background<R> {
    runs: Vec<(
        futures::future::AbortHandle,
        futures::channel::oneshot::Receiver<R>,
    )>,
}

impl<R> Default for Background<R> {
    fn default() -> Background<R> {
        Background { runs: Vec::new() }
    }
}

impl<R: 'static> Background<R> {
    /// Starts `work` at once, beside whatever runs.
    pub fn start(&mut self, work: impl Future<Output = R> + 'static) {
        let (handle, registration) = futures::future::AbortHandle::new_pair();
        let (answer, answered) = futures::channel::oneshot::channel();
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(read) = futures::future::Abortable::new(work, registration).await {
                let _ = answer.send(read);
            }
        });
        self.runs.push((handle, answered));
    }

    /// Every answer, in the order the work was started (`None` for one stopped).
    pub async fn all(mut self) -> Vec<Option<R>> {
        let mut answers = Vec::with_capacity(self.runs.len());
        for (_, answered) in &mut self.runs {
            answers.push(answered.await.ok());
        }
        answers
    }
}

impl<R> Drop for Background<R> {
    fn drop(&mut self) {
        for (handle, _) in &self.runs {
            handle.abort();
        }
    }
}
